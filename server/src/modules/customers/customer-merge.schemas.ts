import { z } from 'zod';
import { pageQuery } from '../../core/http/pagination';

export const duplicatesQuery = pageQuery;

export const duplicateGroup = z.object({
  reasons: z.array(z.object({ kind: z.enum(['unionid', 'phone']), customerIds: z.array(z.number().int()) })),
  suggestedKeepId: z.number().int().describe('the WeCom contact with most follow users, else the oldest'),
  customers: z.array(
    z.object({
      id: z.number().int(),
      name: z.string(),
      phone: z.string().nullable(),
      storeId: z.number().int().nullable(),
      storeName: z.string().nullable(),
      externalUserid: z.string().nullable(),
      unionid: z.string().nullable(),
      stage: z.string(),
      activeFollows: z.number().int(),
      createdAt: z.string(),
    }),
  ),
});

export const mergeBody = z
  .object({
    keepId: z.number().int().positive(),
    mergeIds: z.array(z.number().int().positive()).min(1, 'name at least one customer to merge').max(20),
  })
  .superRefine((value, ctx) => {
    if (value.mergeIds.includes(value.keepId)) ctx.addIssue({ code: 'custom', path: ['mergeIds'], message: 'the kept customer cannot be merged into itself' });
    if (new Set(value.mergeIds).size !== value.mergeIds.length) ctx.addIssue({ code: 'custom', path: ['mergeIds'], message: 'ids must be distinct' });
  });

export const mergeResult = z.object({
  keepId: z.number().int(),
  mergedIds: z.array(z.number().int()),
  moved: z.object({
    follows: z.number().int(),
    followsCombined: z.number().int(),
    tags: z.number().int(),
    notes: z.number().int(),
    timeline: z.number().int(),
    groupMemberships: z.number().int(),
    customFields: z.number().int(),
  }),
});

export type MergeInput = z.infer<typeof mergeBody>;
