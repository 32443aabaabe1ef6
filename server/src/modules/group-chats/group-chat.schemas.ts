import { z } from 'zod';
import { pageQuery } from '../../core/http/pagination';

export const groupChatQuery = pageQuery.extend({
  /** The owner's WeCom userid. */
  owner: z.string().trim().max(64).optional(),
  /** Part of the chat's name. */
  name: z.string().trim().max(64).optional(),
  status: z.enum(['active', 'dismissed']).optional(),
  storeId: z.coerce.number().int().positive().optional(),
});

export type GroupChatQuery = z.infer<typeof groupChatQuery>;

export const groupChatView = z.object({
  id: z.number().int(),
  chatId: z.string(),
  name: z.string().nullable(),
  ownerWecomUserid: z.string().nullable(),
  ownerName: z.string().nullable(),
  storeId: z.number().int().nullable(),
  storeName: z.string().nullable(),
  notice: z.string().nullable(),
  wecomStatus: z.number().int(),
  memberCount: z.number().int(),
  chatCreatedAt: z.string().nullable(),
  dismissedAt: z.string().nullable(),
});

export const groupChatMemberView = z.object({
  memberId: z.string(),
  /** 1 employee, 2 external contact. */
  type: z.number().int(),
  name: z.string().nullable(),
  groupNickname: z.string().nullable(),
  customerId: z.number().int().nullable(),
  joinScene: z.number().int().nullable(),
  invitorUserid: z.string().nullable(),
  joinedAt: z.string().nullable(),
});

export const groupChatDetailView = groupChatView.extend({ members: z.array(groupChatMemberView) });

export const customerGroupView = groupChatView.extend({ joinedAt: z.string().nullable() });
