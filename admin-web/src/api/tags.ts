import { http } from './request';

export interface Tag {
  id: number;
  name: string;
  order: number;
  wecomTagId: string | null;
  customerCount: number;
}

export interface TagGroup {
  id: number;
  name: string;
  order: number;
  wecomGroupId: string | null;
  tags: Tag[];
}

export interface CustomerTag {
  id: number;
  name: string;
  groupId: number;
  groupName: string;
  wecomUserids: string[];
}

export interface SyncRun {
  id: number;
  kind: string;
  status: 'running' | 'done' | 'failed';
  processed: number;
  total: number | null;
  report: Record<string, unknown> | null;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
}

export interface BulkTagJob {
  id: number;
  status: 'pending' | 'running' | 'done' | 'failed';
  total: number;
  processed: number;
  succeeded: number;
  failed: number;
  failures: Array<{ customerId: number; message: string }>;
  createdAt: string;
  finishedAt: string | null;
}

export const listTagGroups = () => http.get<TagGroup[]>('/api/tags');
export const createTagGroup = (body: { name: string; tags: string[] }) => http.post<TagGroup>('/api/tags/groups', body);
export const updateTagGroup = (id: number, body: { name?: string; order?: number }) => http.patch<TagGroup>(`/api/tags/groups/${id}`, body);
export const deleteTagGroup = (id: number) => http.delete<null>(`/api/tags/groups/${id}`);
export const addTags = (groupId: number, names: string[]) => http.post<TagGroup>(`/api/tags/groups/${groupId}/tags`, { names });
export const updateTag = (id: number, body: { name?: string; order?: number }) => http.patch<TagGroup>(`/api/tags/${id}`, body);
export const deleteTag = (id: number) => http.delete<null>(`/api/tags/${id}`);
export const latestTagSync = (opts?: { silent?: boolean }) => http.get<SyncRun | null>('/api/tags/sync', undefined, opts);
export const startTagSync = () => http.post<SyncRun>('/api/tags/sync');
export const customerTags = (customerId: number) => http.get<CustomerTag[]>(`/api/customers/${customerId}/tags`);
export const markCustomerTags = (customerId: number, body: { add?: number[]; remove?: number[] }) => http.put<CustomerTag[]>(`/api/customers/${customerId}/tags`, body);
export const bulkMarkTags = (body: { customerIds: number[]; add?: number[]; remove?: number[] }) => http.post<BulkTagJob>('/api/customers/tags/bulk', body);
export const bulkTagJob = (id: number, opts?: { silent?: boolean }) => http.get<BulkTagJob>(`/api/customers/tags/bulk/${id}`, undefined, opts);
