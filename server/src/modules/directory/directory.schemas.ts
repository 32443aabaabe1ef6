import { z } from 'zod';
import { pageQuery } from '../../core/http/pagination';

export const departmentParams = z.object({ wecomId: z.coerce.number().int().positive() });

/** A department's mapping: the role its employees get and their store (only an `all`-scope role may go without). */
export const mappingBody = z.object({
  storeId: z.number().int().positive().nullable(),
  roleId: z.number().int().positive(),
});
export type MappingBody = z.infer<typeof mappingBody>;

export const employeeQuery = pageQuery.extend({
  q: z.string().trim().max(64).optional(),
  departmentId: z.coerce.number().int().positive().optional(),
  /** linked: has a user; unlinked: no user yet (no mapping); left: gone from WeCom. */
  state: z.enum(['linked', 'unlinked', 'left']).optional(),
});
export type EmployeeQuery = z.infer<typeof employeeQuery>;

const counts = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  disabled: z.number().int(),
  left: z.number().int(),
  unmapped: z.number().int(),
  unchanged: z.number().int(),
  customersMoved: z.number().int(),
});

export const mappingResult = z.object({ wecomId: z.number().int(), storeId: z.number().int().nullable(), roleId: z.number().int().nullable(), applied: counts });

/** One department of the tree; `children` are departments of the same shape (kept open here for the OpenAPI document). */
export const departmentNode = z.object({
  wecomId: z.number().int(),
  name: z.string(),
  parentId: z.number().int().nullable(),
  order: z.number(),
  visible: z.boolean(),
  mapping: z.object({ storeId: z.number().int().nullable(), storeName: z.string().nullable(), roleId: z.number().int(), roleName: z.string() }).nullable(),
  effective: z.object({ fromWecomId: z.number().int(), storeId: z.number().int().nullable(), roleId: z.number().int() }).nullable(),
  employeeCount: z.number().int(),
  children: z.array(z.record(z.string(), z.unknown())),
});

export const employeeItem = z.object({
  userid: z.string(),
  name: z.string(),
  position: z.string().nullable(),
  wecomStatus: z.number().int(),
  leftAt: z.string().nullable(),
  mainDepartmentId: z.number().int().nullable(),
  departments: z.array(z.object({ wecomId: z.number().int(), name: z.string().nullable() })),
  user: z
    .object({
      id: z.number().int(),
      username: z.string(),
      status: z.string(),
      role: z.object({ id: z.number().int(), code: z.string(), name: z.string() }),
      storeId: z.number().int().nullable(),
      storeName: z.string().nullable(),
    })
    .nullable(),
});

export const syncRunView = z.object({
  id: z.number().int(),
  status: z.string(),
  trigger: z.string(),
  processed: z.number().int(),
  report: z.record(z.string(), z.unknown()).nullable(),
  error: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
});

/** WeCom sign-in: where WeCom sends the person back, and which page (in-client OAuth or web QR login). */
export const authorizeUrlQuery = z.object({
  redirect: z.url({ protocol: /^https?$/ }).max(1024),
  mode: z.enum(['oauth', 'qr']).default('oauth'),
});

export const wecomLoginBody = z.object({
  code: z.string().trim().min(1, 'required').max(512),
  state: z.string().trim().min(1, 'required').max(128),
});
