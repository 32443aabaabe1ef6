/** The technician page's endpoints: its tasks, claims, and the submissions its outbox sends. */
import { http, request } from './request';
import type { PageResult } from './types';

export type FormFieldType = 'text' | 'number' | 'date' | 'select' | 'multiselect' | 'boolean';

export interface TaskFormField {
  key: string;
  label: string;
  type: FormFieldType;
  required: boolean;
  options?: string[];
}

export interface TaskForm {
  fields: TaskFormField[];
  minPhotos: number;
  signature: boolean;
  checkInWithinMeters?: number;
  partsList: boolean;
}

export interface TaskItem {
  id: number;
  orderNo: string;
  currentNodeKey: string | null;
  currentNodeName: string | null;
  status: 'open' | 'waiting_customer' | 'waiting_parts' | 'done' | 'cancelled';
  title: string | null;
  customerName: string | null;
  storeName: string | null;
  address: string | null;
  lat: number | null;
  lng: number | null;
  priority: string;
  assigneeUserId: number | null;
  acceptedAt: string | null;
  poolRoleCode: string | null;
  nodeStartedAt: string | null;
  nodeDueAt: string | null;
  overdue: boolean;
  lockVersion: number;
  createdAt: string;
}

export interface TaskAttachment {
  id: number;
  nodeKey: string | null;
  kind: 'photo' | 'signature' | 'file';
  fileName: string;
  capturedAt: string | null;
  lat: number | null;
  lng: number | null;
  at: string;
}

export interface TaskDetail extends TaskItem {
  products: Array<{ name: string; quantity: number }>;
  serviceItems: Array<{ name: string; quantity: number }>;
  currentNode: { key: string; name: string; type: string; form: TaskForm | null } | null;
  history: Array<{ id: number; type: string; nodeKey: string | null; actorUserId: number | null; payload: Record<string, unknown> | null; at: string }>;
  attachments: TaskAttachment[];
}

const quiet = { silent: true } as const;
const OPEN = 'open,waiting_customer,waiting_parts';

export const listMyTasks = (userId: number) => http.get<PageResult<TaskItem>>('/api/work-orders', { assigneeUserId: userId, status: OPEN, pageSize: 100 }, quiet);
export const listClaimableTasks = () => http.get<PageResult<TaskItem>>('/api/work-orders', { claimable: 'true', pageSize: 50 }, quiet);
export const getTask = (id: number) => http.get<TaskDetail>(`/api/work-orders/${id}`, undefined, quiet);
export const claimTask = (id: number) => http.post<{ id: number; assigneeUserId: number; lockVersion: number }>(`/api/work-orders/${id}/claim`, undefined, quiet);

const keyed = (key: string) => ({ 'Idempotency-Key': key });

/** Accepting an assigned task: retried with the same key, it is applied once. */
export const acceptTask = (id: number, lockVersion: number, key: string) =>
  request<{ id: number; acceptedAt: string; lockVersion: number }>({ method: 'POST', url: `/api/work-orders/${id}/accept`, data: { lockVersion }, headers: keyed(key) }, quiet);

export const checkIn = (id: number, body: { lat: number; lng: number; accuracyM?: number }, key: string) =>
  request<{ id: number; distanceM: number | null }>({ method: 'POST', url: `/api/work-orders/${id}/check-in`, data: body, headers: keyed(key) }, quiet);

export function uploadAttachment(id: number, input: { file: Blob; fileName: string; kind: 'photo' | 'signature'; capturedAt: string; lat?: number; lng?: number }, key: string) {
  const form = new FormData();
  form.append('kind', input.kind);
  form.append('capturedAt', input.capturedAt);
  if (input.lat !== undefined && input.lng !== undefined) {
    form.append('lat', String(input.lat));
    form.append('lng', String(input.lng));
  }
  form.append('file', input.file, input.fileName);
  return request<{ id: number }>({ method: 'POST', url: `/api/work-orders/${id}/attachments`, data: form, headers: keyed(key) }, quiet);
}

export const completeTask = (id: number, body: { lockVersion: number; form: Record<string, unknown> }, key: string) =>
  request<{ id: number; status: string; currentNodeKey: string | null; lockVersion: number }>({ method: 'POST', url: `/api/work-orders/${id}/complete`, data: body, headers: keyed(key) }, quiet);

/** A map of the customer's position (AMap's public marker page; opens the AMap app on phones). */
export const mapLink = (lng: number, lat: number, name: string) => `https://uri.amap.com/marker?position=${lng},${lat}&name=${encodeURIComponent(name)}&coordinate=wgs84&callnative=1`;
