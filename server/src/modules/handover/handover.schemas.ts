import { z } from 'zod';
import { pageQuery } from '../../core/http/pagination';

/** A WeCom member UserID: 1–64 letters, digits and _-@. starting with a letter or digit. */
const userid = z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$/, 'a WeCom userid: letters, digits and _-@. (at most 64)');
/** An empty list means none; leaving the field out means all. */
const ids = (max: number) => z.array(z.string().trim().min(1).max(64)).max(max);

export const handoverBody = z
  .object({
    kind: z.enum(['resigned', 'in_service']),
    handoverUserid: userid,
    takeoverUserid: userid,
    /** Default: every customer of the handover employee. */
    externalUserids: ids(10_000).optional(),
    /** Default: every group chat the handover employee owns. */
    chatIds: ids(2_000).optional(),
    /** Shown to customers of an in-service transfer (WeCom's transfer_success_msg). */
    transferMessage: z.string().trim().min(1).max(200).optional(),
  })
  .refine((b) => b.handoverUserid !== b.takeoverUserid, { path: ['takeoverUserid'], message: 'must differ from handoverUserid' })
  .refine((b) => b.kind === 'in_service' || b.transferMessage === undefined, { path: ['transferMessage'], message: 'only for in-service transfers' });

export type HandoverInput = z.infer<typeof handoverBody>;

export const handoverQuery = pageQuery.extend({
  status: z.enum(['running', 'done']).optional(),
  kind: z.enum(['resigned', 'in_service']).optional(),
  handoverUserid: userid.optional(),
});
export type HandoverFilter = z.infer<typeof handoverQuery>;

export const itemQuery = pageQuery.extend({
  status: z.enum(['queued', 'submitting', 'waiting', 'done', 'failed', 'open']).optional(),
  type: z.enum(['customer', 'group']).optional(),
});
export type ItemFilter = z.infer<typeof itemQuery>;

export const retryBody = z.object({ itemIds: z.array(z.number().int().positive()).min(1).max(10_000).optional() });
export const useridParams = z.object({ userid });
export const employeeQuery = z.object({ q: z.string().trim().max(64).optional() });

const employee = z.object({
  userid: z.string(),
  userId: z.number().nullable(),
  name: z.string(),
  storeId: z.number().nullable(),
  storeName: z.string().nullable(),
  status: z.enum(['active', 'departed', 'disabled', 'unknown']),
  leftAt: z.string().nullable(),
});
export const counts = z.object({ total: z.number(), done: z.number(), pending: z.number(), failed: z.number(), refused: z.number() });

export const handoverView = z.object({
  id: z.number(),
  kind: z.enum(['resigned', 'in_service']),
  status: z.enum(['running', 'done']),
  handover: employee,
  takeover: employee,
  transferMessage: z.string().nullable(),
  counts,
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});

export const itemView = z.object({
  id: z.number(),
  type: z.enum(['customer', 'group']),
  targetId: z.string(),
  name: z.string().nullable(),
  customerId: z.number().nullable(),
  status: z.enum(['queued', 'submitting', 'waiting', 'done', 'failed']),
  wecomStatus: z.number().nullable(),
  errcode: z.number().nullable(),
  failReason: z.string().nullable(),
  failDetail: z.string().nullable(),
  attempts: z.number(),
  submittedAt: z.string().nullable(),
  settledAt: z.string().nullable(),
});

export const departedView = z.object({
  items: z.array(employee.extend({ customerCount: z.number(), groupCount: z.number(), unassignedCount: z.number() })),
  wecomError: z.string().nullable(),
});

export const assetsView = z.object({
  employee,
  customers: z.array(z.object({ customerId: z.number().nullable(), externalUserid: z.string(), name: z.string(), remark: z.string().nullable(), storeId: z.number().nullable(), addedAt: z.string().nullable(), inHandover: z.boolean() })),
  groups: z.array(z.object({ groupChatId: z.number(), chatId: z.string(), name: z.string().nullable(), memberCount: z.number(), inHandover: z.boolean() })),
  wecomError: z.string().nullable(),
});

export const employeeList = z.array(employee);
