import type { FormFieldType, NodeForm, NodeType } from './flows';
import { download, http, request } from './request';
import { cleanParams, type PageQuery, type PageResult } from './types';

export type WorkOrderStatus = 'open' | 'waiting_customer' | 'waiting_parts' | 'done' | 'cancelled';
export const workOrderStatuses: WorkOrderStatus[] = ['open', 'waiting_customer', 'waiting_parts', 'done', 'cancelled'];
export type Priority = 'low' | 'normal' | 'high' | 'urgent';
export const priorities: Priority[] = ['low', 'normal', 'high', 'urgent'];

export interface ProductLine {
  sku?: string;
  name: string;
  category?: string;
  quantity: number;
}
export interface ServiceLine {
  code?: string;
  name: string;
  quantity: number;
}
export interface PartLine {
  name: string;
  sku?: string;
  quantity: number;
}

export interface WorkOrder {
  id: number;
  orderNo: string;
  flowId: number;
  flowVersionId: number;
  flowVersion: number;
  currentNodeKey: string | null;
  currentNodeName: string | null;
  status: WorkOrderStatus;
  title: string | null;
  customerId: number | null;
  customerName: string | null;
  storeId: number;
  storeName: string | null;
  address: string | null;
  lat: number | null;
  lng: number | null;
  products: ProductLine[];
  serviceItems: ServiceLine[];
  sourceChannel: string;
  priority: Priority;
  amountFen: number;
  assigneeUserId: number | null;
  assigneeName: string | null;
  acceptedAt: string | null;
  poolRoleCode: string | null;
  nodeStartedAt: string | null;
  nodeDueAt: string | null;
  pausedAt: string | null;
  overdue: boolean;
  lockVersion: number;
  createdAt: string;
  closedAt: string | null;
}

export interface WorkOrderEvent {
  id: number;
  type: string;
  nodeKey: string | null;
  actorUserId: number | null;
  actorName: string | null;
  payload: Record<string, unknown> | null;
  at: string;
}
export interface WorkOrderComment {
  id: number;
  body: string;
  authorUserId: number | null;
  authorName: string | null;
  at: string;
}
export interface WorkOrderAttachment {
  id: number;
  nodeKey: string | null;
  kind: 'photo' | 'signature' | 'file';
  fileName: string;
  contentType: string;
  size: number;
  capturedAt: string | null;
  lat: number | null;
  lng: number | null;
  uploadedBy: string | null;
  at: string;
}
export interface CurrentTask {
  key: string;
  name: string;
  type: NodeType;
  form: NodeForm | null;
  timeLimit: { minutes: number; calendar: string } | null;
}
/** The asynchronous automatic step the order waits at (自动处理中), or that failed for good. */
export interface StepRun {
  id: number;
  nodeKey: string;
  visit: number;
  step: string;
  status: 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped' | 'cancelled' | 'compensating' | 'compensated';
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  result: Record<string, unknown> | null;
  updatedAt: string;
}
export interface WorkOrderDetail extends WorkOrder {
  currentNode: CurrentTask | null;
  automation: StepRun | null;
  nodes: Array<{ key: string; name: string; type: NodeType }>;
  history: WorkOrderEvent[];
  comments: WorkOrderComment[];
  attachments: WorkOrderAttachment[];
}

export interface WorkOrderQuery extends PageQuery {
  status?: WorkOrderStatus[];
  nodeKey?: string[];
  storeId?: number;
  assigneeUserId?: number;
  flowId?: number;
  overdue?: 'true' | 'false';
  keyword?: string;
}

export interface WorkOrderInput {
  flowCode: string;
  customerId?: number;
  /** From the chat sidebar: the customer of the conversation. */
  externalUserId?: string;
  storeId?: number;
  title?: string;
  address?: string;
  products: ProductLine[];
  serviceItems: ServiceLine[];
  sourceChannel: string;
  priority: Priority;
}

export interface BreachRate {
  id: number;
  name: string | null;
  measured: number;
  breached: number;
  rate: number;
}
export interface WorkOrderStats {
  since: string;
  flows: Array<{ id: number; code: string; name: string; latestVersion: number }>;
  openByNode: Array<{ flowId: number; flowName: string | null; nodeKey: string; nodeName: string; open: number; paused: number; overdue: number }>;
  overdue: WorkOrder[];
  breachByStore: BreachRate[];
  breachByAssignee: BreachRate[];
}

export type { FormFieldType };

function listParams(query: WorkOrderQuery): Record<string, string | number> {
  const { status, nodeKey, ...rest } = query;
  const params = { ...(cleanParams(rest) as Record<string, string | number>) };
  if (status?.length) params.status = status.join(',');
  if (nodeKey?.length) params.nodeKey = nodeKey.join(',');
  return params;
}

/** A key that makes a retried submission apply once. */
export const idempotencyKey = () => (globalThis.crypto?.randomUUID ? globalThis.crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`);

export const listWorkOrders = (query: WorkOrderQuery = {}) => http.get<PageResult<WorkOrder>>('/api/work-orders', listParams(query));
export const createWorkOrder = (body: WorkOrderInput, opts?: { silent?: boolean }) => http.post<WorkOrder>('/api/work-orders', body, opts);
export const listPublishedFlows = (opts?: { silent?: boolean }) => http.get<WorkOrderStats['flows']>('/api/work-orders/flows', undefined, opts);
export const getWorkOrder = (id: number) => http.get<WorkOrderDetail>(`/api/work-orders/${id}`);
export const workOrderStats = (days = 30, opts?: { silent?: boolean }) => http.get<WorkOrderStats>('/api/work-orders/stats', { days }, opts);

export const claimWorkOrder = (id: number) => http.post<WorkOrder>(`/api/work-orders/${id}/claim`, {}, { silent: true });
export const assignWorkOrder = (id: number, body: { lockVersion: number; userId: number }) => http.post<WorkOrder>(`/api/work-orders/${id}/assign`, body, { silent: true });
export const pauseWorkOrder = (id: number, body: { lockVersion: number; status: 'waiting_customer' | 'waiting_parts'; reason?: string }) => http.post<WorkOrder>(`/api/work-orders/${id}/pause`, body, { silent: true });
export const resumeWorkOrder = (id: number, body: { lockVersion: number }) => http.post<WorkOrder>(`/api/work-orders/${id}/resume`, body, { silent: true });
export const cancelWorkOrder = (id: number, body: { lockVersion: number; reason: string }) => http.post<WorkOrder>(`/api/work-orders/${id}/cancel`, body, { silent: true });
export const retryAutomaticStep = (id: number, body: { lockVersion: number }) => http.post<{ lockVersion: number }>(`/api/work-orders/${id}/automation/retry`, body, { silent: true });
export const skipAutomaticStep = (id: number, body: { lockVersion: number; reason: string }) => http.post<{ lockVersion: number }>(`/api/work-orders/${id}/automation/skip`, body, { silent: true });
export const commentWorkOrder = (id: number, body: string) => http.post<WorkOrderComment>(`/api/work-orders/${id}/comments`, { body });

/** Completion: the server checks the node's evidence (4xx with details when something is missing). */
export const completeWorkOrder = (id: number, body: { lockVersion: number; form: Record<string, unknown>; parts: PartLine[]; note?: string }, key: string) =>
  request<WorkOrder>({ method: 'POST', url: `/api/work-orders/${id}/complete`, data: body, headers: { 'Idempotency-Key': key } }, { silent: true });
export const checkInWorkOrder = (id: number, body: { lat: number; lng: number; accuracyM?: number }, key: string) =>
  request<unknown>({ method: 'POST', url: `/api/work-orders/${id}/check-in`, data: body, headers: { 'Idempotency-Key': key } }, { silent: true });

export function uploadAttachment(id: number, file: Blob, fileName: string, kind: 'photo' | 'signature' | 'file', key: string, position?: { lat: number; lng: number }) {
  const form = new FormData();
  form.append('kind', kind);
  form.append('capturedAt', new Date().toISOString());
  if (position) {
    form.append('lat', String(position.lat));
    form.append('lng', String(position.lng));
  }
  form.append('file', file, fileName);
  return request<WorkOrderAttachment>({ method: 'POST', url: `/api/work-orders/${id}/attachments`, data: form, headers: { 'Idempotency-Key': key } }, { silent: true });
}

/** The attachment's bytes (the download needs the auth header, so thumbnails are blob URLs). */
export const attachmentBlob = async (id: number, attachmentId: number) => (await download(`/api/work-orders/${id}/attachments/${attachmentId}`, undefined, `attachment-${attachmentId}`, { silent: true })).blob;
