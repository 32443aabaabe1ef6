import { z } from 'zod';

/** WeCom caps tag and group names at 30 characters. */
const tagName = z.string().trim().min(1, 'must not be empty').max(30, 'at most 30 characters');
const order = z.number().int().min(0).max(1_000_000);
const uniqueNames = (names: string[]) => new Set(names).size === names.length;
const tagIds = z.array(z.number().int().positive()).max(100);

export const tagGroupBody = z.object({
  name: tagName,
  /** WeCom creates a group together with its first tags. */
  tags: z.array(tagName).min(1, 'a group needs at least one tag').max(100).refine(uniqueNames, 'tag names must differ'),
  order: order.optional(),
});

export const tagNamesBody = z.object({ names: z.array(tagName).min(1).max(100).refine(uniqueNames, 'tag names must differ') });

export const tagPatchBody = z
  .object({ name: tagName.optional(), order: order.optional() })
  .refine((b) => b.name !== undefined || b.order !== undefined, 'send name or order');

export const markBody = z
  .object({ add: tagIds.optional(), remove: tagIds.optional() })
  .refine((b) => (b.add?.length ?? 0) + (b.remove?.length ?? 0) > 0, 'send tag ids to add or remove')
  .refine((b) => !(b.add ?? []).some((id) => (b.remove ?? []).includes(id)), 'a tag cannot be both added and removed');

export const bulkMarkBody = z
  .object({
    customerIds: z.array(z.number().int().positive()).min(1).max(10_000).refine((ids) => new Set(ids).size === ids.length, 'customer ids must differ'),
    add: tagIds.optional(),
    remove: tagIds.optional(),
  })
  .refine((b) => (b.add?.length ?? 0) + (b.remove?.length ?? 0) > 0, 'send tag ids to add or remove')
  .refine((b) => !(b.add ?? []).some((id) => (b.remove ?? []).includes(id)), 'a tag cannot be both added and removed');

export type TagGroupInput = z.infer<typeof tagGroupBody>;
export type TagPatch = z.infer<typeof tagPatchBody>;
export type MarkInput = z.infer<typeof markBody>;
export type BulkMarkInput = z.infer<typeof bulkMarkBody>;

export const tagView = z.object({ id: z.number().int(), name: z.string(), order: z.number().int(), wecomTagId: z.string().nullable(), customerCount: z.number().int() });
export const tagGroupView = z.object({ id: z.number().int(), name: z.string(), order: z.number().int(), wecomGroupId: z.string().nullable(), tags: z.array(tagView) });
export const customerTagView = z.object({ id: z.number().int(), name: z.string(), groupId: z.number().int(), groupName: z.string(), wecomUserids: z.array(z.string()) });
export const bulkJobView = z.object({
  id: z.number().int(),
  status: z.enum(['pending', 'running', 'done', 'failed']),
  total: z.number().int(),
  processed: z.number().int(),
  succeeded: z.number().int(),
  failed: z.number().int(),
  failures: z.array(z.object({ customerId: z.number().int(), message: z.string() })),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});
export const syncRunView = z.object({
  id: z.number().int(),
  kind: z.string(),
  status: z.string(),
  processed: z.number().int(),
  total: z.number().int().nullable(),
  report: z.record(z.string(), z.unknown()).nullable(),
  error: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
});
