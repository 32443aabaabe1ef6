import { z } from 'zod';
import { pageQuery } from '../../core/http/pagination';

const phone = z.string().trim().regex(/^\+?[\d\s-]{5,20}$/, 'not a phone number');

export const customerFilter = z.object({
  q: z.string().trim().max(64).optional(),
  storeId: z.coerce.number().int().positive().optional(),
  phone: phone.optional(),
});
export const customerQuery = pageQuery.extend(customerFilter.shape);

export const customerBody = z.object({
  name: z.string().trim().min(1, 'required').max(128),
  phone: phone.nullable().optional(),
  address: z.string().trim().max(255).nullable().optional(),
  storeId: z.number().int().positive(),
  ownerUserId: z.number().int().positive().nullable().optional(),
});
export const customerPatch = customerBody.partial();

export const customer = z.object({
  id: z.number().int(),
  name: z.string(),
  phone: z.string().nullable().describe('masked as 138****0001 unless the caller holds customer:pii:read'),
  address: z.string().nullable(),
  storeId: z.number().int(),
  storeName: z.string().nullable(),
  ownerUserId: z.number().int().nullable(),
  createdAt: z.string(),
});

export const customerStats = z.array(z.object({ storeId: z.number().int(), storeName: z.string().nullable(), count: z.number().int() }));

export type CustomerFilter = z.infer<typeof customerFilter>;
export type CustomerInput = z.infer<typeof customerBody>;
