import { z } from 'zod';
import { pageQuery } from '../../core/http/pagination';

const localized = z.object({ 'zh-CN': z.string(), 'en-US': z.string() });
const instant = z.string().describe('ISO-8601, UTC');

export const externalParams = z.object({ externalUserId: z.string().trim().min(1).max(64) });

export const customFieldValue = z.union([z.string(), z.number(), z.array(z.string()), z.null()]);

export const customerDetail = z.object({
  id: z.number().int(),
  name: z.string(),
  phone: z.string().nullable().describe('masked as 138****0001 unless the caller holds customer:pii:read'),
  address: z.string().nullable().describe('masked unless the caller holds customer:pii:read'),
  storeId: z.number().int().nullable(),
  storeName: z.string().nullable(),
  store: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  storeLocked: z.boolean(),
  ownerUserId: z.number().int().nullable(),
  ownerName: z.string().nullable(),
  externalUserid: z.string().nullable(),
  unionid: z.string().nullable(),
  wecomType: z.number().int().nullable(),
  gender: z.number().int().nullable(),
  avatar: z.string().nullable(),
  corpName: z.string().nullable(),
  status: z.enum(['active', 'lost', 'merged']),
  mergedIntoId: z.number().int().nullable(),
  stage: z.string(),
  stageName: localized.nullable(),
  addedAt: instant.nullable(),
  lostAt: instant.nullable(),
  createdAt: instant,
  customFields: z.array(
    z.object({ key: z.string(), label: z.string(), type: z.string(), options: z.array(z.string()), required: z.boolean(), value: customFieldValue }),
  ),
  follows: z.array(
    z.object({
      id: z.number().int(),
      wecomUserid: z.string(),
      userId: z.number().int().nullable(),
      userName: z.string().nullable(),
      remark: z.string().nullable(),
      description: z.string().nullable(),
      remarkCorpName: z.string().nullable(),
      remarkMobiles: z.array(z.string()).describe('masked unless the caller holds customer:pii:read'),
      addWay: z.number().int().nullable(),
      state: z.string().nullable(),
      addedAt: instant.nullable(),
      status: z.string(),
      lostAt: instant.nullable(),
      lostReason: z.string().nullable(),
    }),
  ),
  tags: z.array(
    z.object({
      groupId: z.number().int(),
      groupName: z.string(),
      tags: z.array(z.object({ id: z.number().int(), name: z.string(), wecomUserids: z.array(z.string()) })),
    }),
  ),
  groups: z.array(
    z.object({
      id: z.number().int(),
      chatId: z.string(),
      name: z.string().nullable(),
      ownerWecomUserid: z.string().nullable(),
      ownerName: z.string().nullable(),
      memberCount: z.number().int(),
      joinedAt: instant.nullable(),
      joinScene: z.number().int().nullable(),
      dismissed: z.boolean(),
    }),
  ),
  counts: z.object({ follows: z.number().int(), activeFollows: z.number().int(), tags: z.number().int(), groups: z.number().int(), notes: z.number().int(), timeline: z.number().int() }),
});

export const timelineQuery = pageQuery.extend({ kind: z.string().trim().max(48).optional() });

export const timelineEntry = z.object({
  id: z.number().int(),
  kind: z.string(),
  summary: z.string().nullable(),
  actorUserId: z.number().int().nullable(),
  actorName: z.string().nullable(),
  wecomUserid: z.string().nullable(),
  payload: z.record(z.string(), z.unknown()).nullable(),
  occurredAt: instant,
});

export const noteBody = z.object({ body: z.string().trim().min(1, 'required').max(2000) });

export const note = z.object({
  id: z.number().int(),
  body: z.string(),
  authorUserId: z.number().int().nullable(),
  authorName: z.string().nullable(),
  createdAt: instant,
});

export const stageBody = z.object({ stage: z.string().trim().min(1, 'required').max(32) });

export const fieldsBody = z.object({ values: z.record(z.string(), z.unknown()) });

export const storeBody = z.object({
  storeId: z.number().int().positive().nullable().describe('null unlocks: the store follows the primary follow user again'),
});

export type CustomerDetail = z.infer<typeof customerDetail>;
export type CustomFieldValue = z.infer<typeof customFieldValue>;
