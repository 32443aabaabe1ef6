import { z } from 'zod';
import { pageQuery } from '../../core/http/pagination';
import { dataScopes } from '../access/roles';

const code = z.string().trim().min(1, 'required').max(32).regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only');
const name = z.string().trim().min(1, 'required').max(128);
const optionalId = z.number().int().positive().nullable().optional();

export const regionBody = z.object({ code, name });
export const regionPatch = regionBody.partial();
export const region = z.object({ id: z.number().int(), code: z.string(), name: z.string(), storeCount: z.number().int(), createdAt: z.string() });

export const storeQuery = pageQuery.extend({ regionId: z.coerce.number().int().positive().optional(), q: z.string().trim().max(64).optional() });
export const storeBody = z.object({ code, name, regionId: z.number().int().positive(), address: z.string().trim().max(255).nullable().optional() });
export const storePatch = storeBody.partial();
export const store = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  regionId: z.number().int(),
  regionName: z.string().nullable(),
  address: z.string().nullable(),
  createdAt: z.string(),
});

export const roleBody = z.object({
  code: z.string().trim().min(2).max(64).regex(/^[a-z][a-z0-9_]*$/, 'lower-case letters, digits and _ , starting with a letter'),
  name,
  dataScope: z.enum(dataScopes),
  permissions: z.array(z.string()).max(200),
});
export const rolePatch = roleBody.omit({ code: true }).partial();
export const role = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  builtin: z.boolean(),
  dataScope: z.enum(dataScopes),
  permissions: z.array(z.string()),
});

export const userQuery = pageQuery.extend({
  q: z.string().trim().max(64).optional(),
  roleId: z.coerce.number().int().positive().optional(),
  storeId: z.coerce.number().int().positive().optional(),
});
const phone = z.string().trim().regex(/^\+?[\d\s-]{5,20}$/, 'not a phone number');
export const userBody = z.object({
  username: z.string().trim().min(2).max(64).regex(/^[A-Za-z0-9_.@-]+$/, 'letters, digits and _ . @ - only'),
  displayName: name,
  password: z.string().min(8, 'at least 8 characters').max(128),
  roleId: z.number().int().positive(),
  regionId: optionalId,
  storeId: optionalId,
  phone: phone.nullable().optional(),
});
export const userPatch = userBody
  .omit({ username: true })
  .partial()
  .extend({ status: z.enum(['active', 'disabled']).optional() });
export const user = z.object({
  id: z.number().int(),
  username: z.string(),
  displayName: z.string(),
  phone: z.string().nullable(),
  role: z.object({ id: z.number().int(), code: z.string(), name: z.string() }),
  regionId: z.number().int().nullable(),
  storeId: z.number().int().nullable(),
  storeName: z.string().nullable(),
  status: z.enum(['active', 'disabled']),
  lastLoginAt: z.string().nullable(),
  createdAt: z.string(),
});

export type RegionInput = z.infer<typeof regionBody>;
export type StoreInput = z.infer<typeof storeBody>;
export type RoleInput = z.infer<typeof roleBody>;
export type UserInput = z.infer<typeof userBody>;
export type UserPatch = z.infer<typeof userPatch>;
