import { http } from './request';
import type { WelcomeAttachmentInput } from './engagement';
import type { PageQuery, PageResult } from './types';

export type MassAudience =
  | { type: 'filter'; filter: { storeId?: number; stage?: string[]; tagIds?: number[]; tagMode?: 'any' | 'all'; addedFrom?: string; addedTo?: string } }
  | { type: 'tags'; tagIds: number[]; tagMode: 'any' | 'all' }
  | { type: 'customers'; customerIds: number[] };

export type MassMessageStatus = 'draft' | 'sending' | 'sent' | 'failed' | 'cancelled';
/** waiting = 未发送 (the employee has not confirmed in WeCom), sent = 已发送. */
export type MassTaskStatus = 'pending' | 'waiting' | 'sent' | 'failed' | 'expired';
export type RecipientStatus = 'pending' | 'skipped' | 'failed' | 'not_sent' | 'sent' | 'not_friend' | 'received_other';
export type SkipReason = 'no_owner' | 'lost' | 'monthly_limit' | 'out_of_scope' | 'wecom_refused' | 'call_failed';

export interface MassMessageInput {
  name: string;
  audience: MassAudience;
  content: { text?: string; attachments: WelcomeAttachmentInput[] };
  scheduledAt: string | null;
}

export interface MassPreview {
  recipients: number;
  skipped: number;
  skippedByReason: Partial<Record<SkipReason, number>>;
  senders: number;
}

export interface MassMessage {
  id: number;
  name: string;
  status: MassMessageStatus;
  audience: MassAudience;
  text: string | null;
  attachments: Array<{ type: string; title?: string; url?: string; fileName?: string }>;
  storeId: number | null;
  createdBy: number | null;
  scheduledAt: string | null;
  sentAt: string | null;
  finishedAt: string | null;
  error: string | null;
  createdAt: string;
}

export interface MassTask {
  id: number;
  senderUserid: string;
  senderName: string | null;
  chunk: number;
  status: MassTaskStatus;
  customerCount: number;
  sent: number;
  failed: number;
  error: string | null;
}

export interface MassMessageDetail extends MassMessage {
  stats: { recipients: number; byStatus: Partial<Record<RecipientStatus, number>>; skippedByReason: Partial<Record<SkipReason, number>> };
  tasks: MassTask[];
  preview: MassPreview | null;
}

export interface MassRecipient {
  customerId: number;
  customerName: string | null;
  externalUserid: string | null;
  senderUserid: string | null;
  status: RecipientStatus;
  reason: SkipReason | null;
  error: string | null;
  sentAt: string | null;
}

const base = '/api/engagement/mass-messages';
export const listMassMessages = (query: PageQuery & { status?: MassMessageStatus }) => http.get<PageResult<MassMessage>>(base, query);
export const getMassMessage = (id: number) => http.get<MassMessageDetail>(`${base}/${id}`);
export const createMassMessage = (body: MassMessageInput) => http.post<MassMessageDetail>(base, body);
export const previewMassMessage = (audience: MassAudience) => http.post<MassPreview>(`${base}/preview`, { audience }, { silent: true });
export const listMassRecipients = (id: number, query: PageQuery & { status?: RecipientStatus }) => http.get<PageResult<MassRecipient>>(`${base}/${id}/recipients`, query);
export const sendMassMessage = (id: number) => http.post<MassMessageDetail>(`${base}/${id}/send`);
export const cancelMassMessage = (id: number) => http.post<MassMessageDetail>(`${base}/${id}/cancel`);
export const refreshMassMessage = (id: number) => http.post<MassMessageDetail>(`${base}/${id}/refresh`);
