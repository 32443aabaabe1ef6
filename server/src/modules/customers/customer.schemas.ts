import { z } from 'zod';
import { pageQuery } from '../../core/http/pagination';

const phone = z.string().trim().regex(/^\+?[\d\s-]{5,20}$/, 'not a phone number');

/** `a,b` or a repeated parameter (`?x=a&x=b`), as a list. */
const listParam = <T extends z.ZodType>(item: T, max: number) =>
  z.preprocess((value) => {
    if (value === undefined || value === '') return undefined;
    const parts = (Array.isArray(value) ? value : [value]).flatMap((v) => String(v).split(','));
    return parts.map((p) => p.trim()).filter(Boolean);
  }, z.array(item).min(1).max(max).optional());

/** An instant (ISO-8601) or a plain business date `YYYY-MM-DD`, read in Asia/Shanghai. */
const dateOrInstant = z
  .string()
  .trim()
  .refine((v) => /^\d{4}-\d{2}-\d{2}$/.test(v) || (/^\d{4}-\d{2}-\d{2}T/.test(v) && !Number.isNaN(Date.parse(v))), 'expected YYYY-MM-DD or an ISO-8601 instant');

export const customFieldKey = z.string().regex(/^[a-z][a-z0-9_]{0,47}$/, 'not a custom field key');

/** The fields a customer list, a saved segment and an export filter by. */
export const filterShape = {
  q: z.string().trim().max(64).optional().describe('keyword in the name and the follow remarks'),
  storeId: z.coerce.number().int().positive().optional(),
  stage: listParam(z.string().max(32), 10).describe('stage code; several separated by commas'),
  status: z.enum(['active', 'lost', 'merged', 'all']).optional().describe('default: active and lost (merged customers hidden)'),
  tagIds: listParam(z.coerce.number().int().positive(), 20).describe('tag ids, comma separated'),
  tagMode: z.enum(['any', 'all']).optional().describe('any (default): at least one of the tags; all: every tag'),
  followUserId: z.coerce.number().int().positive().optional().describe('our user id of an employee following the customer'),
  followWecomUserid: z.string().trim().min(1).max(64).optional().describe('WeCom userid of an employee following the customer'),
  addedFrom: dateOrInstant.optional().describe('added at or after; a plain date starts at 00:00 Asia/Shanghai'),
  addedTo: dateOrInstant.optional().describe('added before; a plain date includes that whole day (Asia/Shanghai)'),
  phone: phone.optional().describe('exact phone number (needs customer:pii:read)'),
};

export const customerFilter = z.object({
  ...filterShape,
  cf: z.record(customFieldKey, z.string().max(128)).optional().describe('custom field values by key; in a query string as cf.<key>=value'),
});
export type CustomerFilter = z.infer<typeof customerFilter>;

/** Query of the list and the export: the filter, or a saved segment whose filter the given fields refine. */
const queryShape = { ...filterShape, segmentId: z.coerce.number().int().positive().optional() };

export const customerQuery = pageQuery.extend({
  ...queryShape,
  afterId: z.coerce.number().int().positive().optional().describe('keyset paging: customers with a smaller id than this (ignores page)'),
});
export type CustomerQuery = z.infer<typeof customerQuery>;

export const customerExportQuery = z.object({ ...queryShape, format: z.enum(['xlsx', 'csv']).default('csv').describe('xlsx, or csv (the default, for older clients)') });

/** `cf.<key>=value` parameters of a query string, validated. */
export const customFieldParams = z.record(customFieldKey, z.string().trim().min(1).max(128)).refine((v) => Object.keys(v).length <= 10, 'at most 10 custom field filters');

export const customerBody = z.object({
  name: z.string().trim().min(1, 'required').max(128),
  phone: phone.nullable().optional(),
  address: z.string().trim().max(255).nullable().optional(),
  storeId: z.number().int().positive(),
  ownerUserId: z.number().int().positive().nullable().optional(),
});
export const customerPatch = customerBody.partial();
export type CustomerInput = z.infer<typeof customerBody>;

const instant = z.string().describe('ISO-8601, UTC');

export const customer = z.object({
  id: z.number().int(),
  name: z.string(),
  phone: z.string().nullable().describe('masked as 138****0001 unless the caller holds customer:pii:read'),
  address: z.string().nullable(),
  storeId: z.number().int().nullable().describe('null while unassigned'),
  storeName: z.string().nullable(),
  ownerUserId: z.number().int().nullable(),
  stage: z.string(),
  status: z.enum(['active', 'lost', 'merged']),
  externalUserid: z.string().nullable(),
  avatar: z.string().nullable(),
  tags: z.array(z.object({ id: z.number().int(), name: z.string() })),
  follows: z.array(z.object({ wecomUserid: z.string(), userId: z.number().int().nullable(), name: z.string().nullable(), remark: z.string().nullable() })),
  addedAt: instant.nullable(),
  createdAt: instant,
});

export const customerPage = z.object({
  items: z.array(customer),
  total: z.number().int(),
  totalCapped: z.boolean().describe('true when more customers match than `total` (counting stops at the cap)'),
  page: z.number().int(),
  pageSize: z.number().int(),
  nextAfterId: z.number().int().nullable().describe('pass as afterId for the next page (keyset paging)'),
});

export const customerStats = z.array(z.object({ storeId: z.number().int().nullable(), storeName: z.string().nullable(), count: z.number().int() }));
