import { z } from 'zod';

/** The page URL the JS-SDK runs on (its `#fragment` is ignored when signing). */
export const pageUrl = z
  .string()
  .max(2048)
  .url()
  .refine((value) => /^https?:\/\//i.test(value), 'must be an http(s) URL');

export const signaturesQuery = z.object({ url: pageUrl });

export const signatures = z.object({
  corpId: z.string(),
  agentId: z.number().int(),
  timestamp: z.number().int(),
  nonceStr: z.string(),
  configSignature: z.string(),
  agentConfigSignature: z.string(),
});

export const sidebarConfig = z.object({ mode: z.enum(['live', 'sandbox', 'unconfigured']) });

const wecomId = z.string().trim().min(1).max(64);

export const chatIdParams = z.object({ chatId: wecomId });
export const useridParams = z.object({ userid: wecomId });

export const groupChat = z.object({
  id: z.number().int(),
  chatId: z.string(),
  name: z.string(),
  ownerWecomUserid: z.string().nullable(),
  storeId: z.number().int().nullable(),
  notice: z.string().nullable(),
  memberCount: z.number().int(),
  customerCount: z.number().int(),
  dismissed: z.boolean(),
  members: z.array(
    z.object({
      memberId: z.string(),
      memberType: z.number().int(),
      name: z.string(),
      joinedAt: z.string().nullable(),
      customer: z.object({ id: z.number().int(), name: z.string(), externalUserId: z.string() }).nullable(),
    }),
  ),
});

export const standinEmployees = z.array(
  z.object({
    userid: z.string(),
    name: z.string(),
    position: z.string(),
    user: z.object({ id: z.number().int(), displayName: z.string(), storeName: z.string().nullable(), status: z.string() }).nullable(),
  }),
);

export const standinChats = z.object({
  customers: z.array(z.object({ externalUserId: z.string(), name: z.string(), remark: z.string(), corpName: z.string(), type: z.number().int() })),
  groupChats: z.array(z.object({ chatId: z.string(), name: z.string(), memberCount: z.number().int(), customerCount: z.number().int() })),
});

export const agentConfigCheck = z.object({
  url: pageUrl,
  timestamp: z.number().int().positive(),
  nonceStr: z.string().min(1).max(64),
  signature: z.string().regex(/^[0-9a-f]{40}$/, 'a 40-digit lowercase hex SHA-1'),
});
