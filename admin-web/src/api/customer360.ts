import { http } from './request';
import type { LocalizedText, PageQuery, PageResult } from './types';

export type CustomFieldType = 'text' | 'number' | 'date' | 'select' | 'multiselect';
export type CustomFieldValue = string | number | string[] | null;

export interface CustomFieldWithValue {
  key: string;
  label: string;
  type: CustomFieldType;
  options: string[];
  required: boolean;
  value: CustomFieldValue;
}

export interface CustomerFollow {
  id: number;
  wecomUserid: string;
  userId: number | null;
  userName: string | null;
  remark: string | null;
  description: string | null;
  remarkCorpName: string | null;
  remarkMobiles: string[];
  addWay: number | null;
  state: string | null;
  addedAt: string | null;
  status: string;
  lostAt: string | null;
  lostReason: string | null;
}

export interface CustomerTagGroup {
  groupId: number;
  groupName: string;
  tags: Array<{ id: number; name: string; wecomUserids: string[] }>;
}

export interface CustomerGroupChat {
  id: number;
  chatId: string;
  name: string | null;
  ownerWecomUserid: string | null;
  ownerName: string | null;
  memberCount: number;
  joinedAt: string | null;
  joinScene: number | null;
  dismissed: boolean;
}

export interface CustomerDetail {
  id: number;
  name: string;
  phone: string | null;
  address: string | null;
  storeId: number | null;
  storeName: string | null;
  storeLocked: boolean;
  ownerUserId: number | null;
  ownerName: string | null;
  externalUserid: string | null;
  unionid: string | null;
  wecomType: number | null;
  gender: number | null;
  avatar: string | null;
  corpName: string | null;
  status: 'active' | 'lost' | 'merged';
  mergedIntoId: number | null;
  stage: string;
  stageName: LocalizedText | null;
  addedAt: string | null;
  lostAt: string | null;
  createdAt: string;
  customFields: CustomFieldWithValue[];
  follows: CustomerFollow[];
  tags: CustomerTagGroup[];
  groups: CustomerGroupChat[];
  counts: { follows: number; activeFollows: number; tags: number; groups: number; notes: number; timeline: number };
}

export interface TimelineEntry {
  id: number;
  kind: string;
  summary: string | null;
  actorUserId: number | null;
  actorName: string | null;
  wecomUserid: string | null;
  payload: Record<string, unknown> | null;
  occurredAt: string;
}

export interface CustomerNote {
  id: number;
  body: string;
  authorUserId: number | null;
  authorName: string | null;
  createdAt: string;
}

export interface Stage {
  id: number;
  code: string;
  name: LocalizedText;
  nameZh: string;
  nameEn: string;
  sortOrder: number;
  customerCount: number;
}

export interface FieldDef {
  id: number;
  key: string;
  label: string;
  type: CustomFieldType;
  options: string[];
  required: boolean;
  sortOrder: number;
}

export interface DuplicateGroup {
  reasons: Array<{ kind: 'unionid' | 'phone'; customerIds: number[] }>;
  suggestedKeepId: number;
  customers: Array<{
    id: number;
    name: string;
    phone: string | null;
    storeId: number | null;
    storeName: string | null;
    externalUserid: string | null;
    unionid: string | null;
    stage: string;
    activeFollows: number;
    createdAt: string;
  }>;
}

export interface MergeResult {
  keepId: number;
  mergedIds: number[];
  moved: Record<string, number>;
}

export const getCustomerDetail = (id: number) => http.get<CustomerDetail>(`/api/customers/${id}`);
export const listTimeline = (id: number, query: PageQuery & { kind?: string } = {}) => http.get<PageResult<TimelineEntry>>(`/api/customers/${id}/timeline`, query);
export const listNotes = (id: number, query: PageQuery = {}) => http.get<PageResult<CustomerNote>>(`/api/customers/${id}/notes`, query);
export const addNote = (id: number, body: string) => http.post<CustomerNote>(`/api/customers/${id}/notes`, { body });
export const changeStage = (id: number, stage: string) => http.patch<{ stage: string; stageName: LocalizedText }>(`/api/customers/${id}/stage`, { stage });
export const setFieldValues = (id: number, values: Record<string, CustomFieldValue>, opts?: { silent?: boolean }) =>
  http.patch<CustomFieldWithValue[]>(`/api/customers/${id}/fields`, { values }, opts);
export const reassignStore = (id: number, storeId: number | null) =>
  http.patch<{ storeId: number | null; storeName: string | null; storeLocked: boolean }>(`/api/customers/${id}/store`, { storeId });

export const listStages = () => http.get<Stage[]>('/api/customer-stages');
export const createStage = (body: { code: string; nameZh: string; nameEn: string }) => http.post<Stage>('/api/customer-stages', body);
export const updateStage = (id: number, body: { nameZh?: string; nameEn?: string }) => http.patch<Stage>(`/api/customer-stages/${id}`, body);
export const reorderStages = (ids: number[]) => http.put<Stage[]>('/api/customer-stages/order', { ids });
export const deleteStage = (id: number, replaceWith?: string, opts?: { silent?: boolean }) =>
  http.delete<{ moved: number }>(`/api/customer-stages/${id}`, replaceWith ? { replaceWith } : undefined, opts);

export const listFieldDefs = () => http.get<FieldDef[]>('/api/customer-fields');
export const createFieldDef = (body: { key: string; label: string; type: CustomFieldType; options?: string[]; required: boolean }) => http.post<FieldDef>('/api/customer-fields', body);
export const updateFieldDef = (id: number, body: { label?: string; options?: string[]; required?: boolean }) => http.patch<FieldDef>(`/api/customer-fields/${id}`, body);
export const reorderFieldDefs = (ids: number[]) => http.put<FieldDef[]>('/api/customer-fields/order', { ids });
export const deleteFieldDef = (id: number) => http.delete<null>(`/api/customer-fields/${id}`);

export const listDuplicates = (query: PageQuery = {}) => http.get<PageResult<DuplicateGroup>>('/api/customers/duplicates', query);
export const mergeCustomers = (keepId: number, mergeIds: number[]) => http.post<MergeResult>('/api/customers/merge', { keepId, mergeIds });
