import { z } from 'zod';
import { pageQuery, pageSchema } from '../../../core/http/pagination';
import { segmentFilter } from '../../customers/customer-segments.schemas';
import { welcomeMessage } from '../contact-ways/contact-way.schemas';

/** Who receives a mass message: a segment-style filter, customers with tags, or a list of customers. */
export const audience = z.discriminatedUnion('type', [
  z.object({ type: z.literal('filter'), filter: segmentFilter }),
  z.object({ type: z.literal('tags'), tagIds: z.array(z.number().int().positive()).min(1).max(20), tagMode: z.enum(['any', 'all']).default('any') }),
  z.object({ type: z.literal('customers'), customerIds: z.array(z.number().int().positive()).min(1).max(10_000) }),
]);
export type Audience = z.infer<typeof audience>;

/** Text plus up to 9 attachments (image / link / miniprogram / file), as a welcome message. */
export const massContent = welcomeMessage;
export type MassContent = z.infer<typeof massContent>;

export const massMessageBody = z.object({
  name: z.string().trim().min(1).max(64),
  audience,
  content: massContent,
  scheduledAt: z.iso.datetime({ offset: true }).nullable().default(null).describe('send automatically at this instant; null: a draft sent by hand'),
});
export type MassMessageBody = z.infer<typeof massMessageBody>;

export const previewBody = z.object({ audience });

export const recipientStatuses = ['pending', 'skipped', 'failed', 'not_sent', 'sent', 'not_friend', 'received_other'] as const;
export const recipientReasons = ['no_owner', 'lost', 'monthly_limit', 'out_of_scope', 'wecom_refused', 'call_failed'] as const;

export const listQuery = pageQuery.extend({ status: z.enum(['draft', 'sending', 'sent', 'failed', 'cancelled']).optional() });
export const recipientsQuery = pageQuery.extend({
  status: z.enum(recipientStatuses).optional(),
  senderUserid: z.string().trim().min(1).max(64).optional(),
});
export type RecipientsQuery = z.infer<typeof recipientsQuery>;

const count = z.number().int();
const reasonCounts = z.record(z.string(), count).describe('skipped customers by reason: no_owner, lost, monthly_limit, out_of_scope');

export const previewView = z.object({ recipients: count, skipped: count, skippedByReason: reasonCounts, senders: count });

const attachmentView = z.object({ type: z.string(), title: z.string().optional(), url: z.string().optional(), fileName: z.string().optional() });
export const massMessageSummary = z.object({
  id: z.number().int(),
  name: z.string(),
  status: z.enum(['draft', 'sending', 'sent', 'failed', 'cancelled']),
  audience: z.unknown(),
  text: z.string().nullable(),
  attachments: z.array(attachmentView),
  storeId: z.number().int().nullable(),
  createdBy: z.number().int().nullable(),
  scheduledAt: z.string().nullable(),
  sentAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
});

export const taskView = z.object({
  id: z.number().int(),
  senderUserid: z.string(),
  senderName: z.string().nullable(),
  chunk: count,
  status: z.enum(['pending', 'waiting', 'sent', 'failed', 'expired']).describe('waiting = 未发送 (the employee has not confirmed yet), sent = 已发送'),
  customerCount: count,
  sent: count,
  failed: count,
  error: z.string().nullable(),
});

export const massMessageView = massMessageSummary.extend({
  stats: z.object({ recipients: count, byStatus: z.record(z.string(), count), skippedByReason: reasonCounts }),
  tasks: z.array(taskView),
  /** For a draft: who it would reach now. */
  preview: previewView.nullable(),
});

export const recipientView = z.object({
  customerId: z.number().int(),
  customerName: z.string().nullable(),
  externalUserid: z.string().nullable(),
  senderUserid: z.string().nullable(),
  status: z.enum(recipientStatuses),
  reason: z.enum(recipientReasons).nullable(),
  error: z.string().nullable(),
  sentAt: z.string().nullable(),
});

export const massMessagePage = pageSchema(massMessageSummary);
export const recipientPage = pageSchema(recipientView);
