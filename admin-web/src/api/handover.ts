import { http } from './request';
import { cleanParams, type PageQuery, type PageResult, toPage } from './types';

export type HandoverKind = 'resigned' | 'in_service';
export type HandoverItemStatus = 'queued' | 'submitting' | 'waiting' | 'done' | 'failed';

export interface HandoverEmployee {
  userid: string;
  userId: number | null;
  name: string;
  storeId: number | null;
  storeName: string | null;
  status: 'active' | 'departed' | 'disabled' | 'unknown';
  leftAt: string | null;
}

export interface DepartedEmployee extends HandoverEmployee {
  customerCount: number;
  groupCount: number;
  /** Customers WeCom lists as awaiting assignment. */
  unassignedCount: number;
}

export interface EmployeeAssets {
  employee: HandoverEmployee;
  customers: Array<{ customerId: number | null; externalUserid: string; name: string; remark: string | null; storeId: number | null; addedAt: string | null; inHandover: boolean }>;
  groups: Array<{ groupChatId: number; chatId: string; name: string | null; memberCount: number; inHandover: boolean }>;
  wecomError: string | null;
}

export interface HandoverCounts {
  total: number;
  done: number;
  pending: number;
  failed: number;
  refused: number;
}

export interface Handover {
  id: number;
  kind: HandoverKind;
  status: 'running' | 'done';
  handover: HandoverEmployee;
  takeover: HandoverEmployee;
  transferMessage: string | null;
  counts: HandoverCounts;
  createdBy: string | null;
  createdAt: string;
  finishedAt: string | null;
}

export interface HandoverItem {
  id: number;
  type: 'customer' | 'group';
  targetId: string;
  name: string | null;
  customerId: number | null;
  status: HandoverItemStatus;
  wecomStatus: number | null;
  errcode: number | null;
  failReason: string | null;
  failDetail: string | null;
  attempts: number;
  submittedAt: string | null;
  settledAt: string | null;
}

export interface HandoverInput {
  kind: HandoverKind;
  handoverUserid: string;
  takeoverUserid: string;
  externalUserids?: string[];
  chatIds?: string[];
  transferMessage?: string;
}

export interface HandoverQuery extends PageQuery {
  status?: 'running' | 'done';
  kind?: HandoverKind;
}

export interface HandoverItemQuery extends PageQuery {
  status?: HandoverItemStatus | 'open';
  type?: 'customer' | 'group';
}

export const listDepartedEmployees = () => http.get<{ items: DepartedEmployee[]; wecomError: string | null }>('/api/handovers/departed-employees');
export const listServingEmployees = (q?: string) => http.get<HandoverEmployee[]>('/api/handovers/employees', cleanParams({ q }));
export const getEmployeeAssets = (userid: string) => http.get<EmployeeAssets>(`/api/handovers/employees/${encodeURIComponent(userid)}/assets`);
export const listHandovers = async (query: HandoverQuery = {}): Promise<PageResult<Handover>> => toPage(await http.get<PageResult<Handover>>('/api/handovers', cleanParams(query)), query);
export const createHandover = (body: HandoverInput) => http.post<Handover>('/api/handovers', body);
export const listHandoverItems = async (id: number, query: HandoverItemQuery = {}): Promise<PageResult<HandoverItem>> =>
  toPage(await http.get<PageResult<HandoverItem>>(`/api/handovers/${id}/items`, cleanParams(query)), query);
export const retryHandover = (id: number, itemIds?: number[]) => http.post<Handover>(`/api/handovers/${id}/retry`, itemIds ? { itemIds } : {});
export const refreshHandover = (id: number) => http.post<Handover>(`/api/handovers/${id}/refresh`);
