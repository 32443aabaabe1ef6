import { download, http } from './request';
import { cleanParams, type LocalizedText, type PageQuery, type PageResult } from './types';

export interface Customer {
  id: number;
  name: string;
  phone: string | null;
  address: string | null;
  storeId: number | null;
  storeName: string | null;
  ownerUserId: number | null;
  stage: string;
  stageName: LocalizedText | null;
  status: 'active' | 'lost' | 'merged';
  externalUserid: string | null;
  avatar: string | null;
  tags: Array<{ id: number; name: string }>;
  follows: Array<{ wecomUserid: string; userId: number | null; name: string | null; remark: string | null }>;
  addedAt: string | null;
  createdAt: string;
}

export interface CustomerInput {
  name: string;
  phone?: string | null;
  address?: string | null;
  storeId: number;
  ownerUserId?: number | null;
}

/** The list filter (the same fields a saved segment keeps). */
export interface CustomerFilter {
  q?: string;
  storeId?: number;
  stage?: string[];
  status?: 'active' | 'lost' | 'merged' | 'all';
  tagIds?: number[];
  tagMode?: 'any' | 'all';
  followUserId?: number;
  followWecomUserid?: string;
  addedFrom?: string;
  addedTo?: string;
  phone?: string;
  /** Custom field values by key, sent as `cf.<key>=value`. */
  cf?: Record<string, string>;
}

export interface CustomerQuery extends PageQuery, CustomerFilter {
  segmentId?: number;
  afterId?: number;
}

export interface CustomerPage extends PageResult<Customer> {
  /** More customers match than `total` (counting stops at a cap). */
  totalCapped: boolean;
  nextAfterId: number | null;
}

export interface CustomerSegment {
  id: number;
  name: string;
  filter: CustomerFilter;
  shared: boolean;
  ownerUserId: number;
  ownerName: string | null;
  mine: boolean;
  updatedAt: string;
}

export interface TagOptionGroup {
  id: number;
  name: string;
  tags: Array<{ id: number; name: string }>;
}

export interface CustomerStat {
  storeId: number | null;
  storeName: string | null;
  count: number;
}

/** Query parameters of a filter: lists joined by commas, custom fields as `cf.<key>`, empty values dropped. */
export function customerParams(query: CustomerQuery): Record<string, string | number> {
  const { cf, stage, tagIds, ...rest } = query;
  const params: Record<string, string | number> = { ...(cleanParams(rest) as Record<string, string | number>) };
  if (stage?.length) params.stage = stage.join(',');
  if (tagIds?.length) params.tagIds = tagIds.join(',');
  else delete params.tagMode;
  for (const [key, value] of Object.entries(cf ?? {})) if (value) params[`cf.${key}`] = value;
  return params;
}

export const listCustomers = (query: CustomerQuery = {}, opts?: { silent?: boolean }) => http.get<CustomerPage>('/api/customers', customerParams(query), opts);
export const getCustomer = (id: number) => http.get<Customer>(`/api/customers/${id}`);
export const createCustomer = (body: CustomerInput) => http.post<Customer>('/api/customers', body);
export const updateCustomer = (id: number, body: Partial<CustomerInput>) => http.patch<Customer>(`/api/customers/${id}`, body);
export const deleteCustomer = (id: number) => http.delete<null>(`/api/customers/${id}`);
export const customerStats = (opts?: { silent?: boolean }) => http.get<CustomerStat[]>('/api/customers/stats', undefined, opts);
export const exportCustomers = (query: Omit<CustomerQuery, 'page' | 'pageSize' | 'afterId'> = {}, format: 'xlsx' | 'csv' = 'xlsx') =>
  download('/api/customers/export', { ...customerParams(query), format }, `customers-${new Date().toISOString().slice(0, 10)}.${format}`);

export const listSegments = () => http.get<CustomerSegment[]>('/api/customers/segments');
export const createSegment = (body: { name: string; filter: CustomerFilter; shared: boolean }) => http.post<CustomerSegment>('/api/customers/segments', body);
export const updateSegment = (id: number, body: Partial<{ name: string; filter: CustomerFilter; shared: boolean }>) => http.patch<CustomerSegment>(`/api/customers/segments/${id}`, body);
export const deleteSegment = (id: number) => http.delete<null>(`/api/customers/segments/${id}`);

/** Tag groups with their tags, for the tag filter. */
export const listTagOptions = (opts?: { silent?: boolean }) => http.get<TagOptionGroup[]>('/api/tags', undefined, opts);
