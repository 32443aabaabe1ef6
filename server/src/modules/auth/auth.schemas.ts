import { z } from 'zod';

export const locales = ['zh-CN', 'en-US'] as const;

export const loginBody = z.object({
  username: z.string().trim().min(1, 'required').max(64),
  password: z.string().min(1, 'required').max(128),
});

export const updateMeBody = z.object({ locale: z.enum(locales) });

export const userSummary = z.object({
  id: z.number().int(),
  username: z.string(),
  displayName: z.string(),
  locale: z.enum(locales),
  role: z.object({ id: z.number().int(), code: z.string(), name: z.string() }),
  dataScope: z.enum(['all', 'region', 'store', 'self']),
  regionId: z.number().int().nullable(),
  storeId: z.number().int().nullable(),
});

export const loginResult = z.object({ token: z.string(), expiresAt: z.string(), user: userSummary });

const menuLeaf = z.object({
  key: z.string(),
  title: z.object({ 'zh-CN': z.string(), 'en-US': z.string() }),
  path: z.string().optional(),
  icon: z.string().optional(),
  component: z.string().optional(),
  hidden: z.boolean().optional().describe('routed but not shown in the navigation'),
});
/** Menus are two levels deep: groups and pages. */
const menuItem = menuLeaf.extend({ children: z.array(menuLeaf).optional() });

export const meResult = z.object({ user: userSummary, permissions: z.array(z.string()), menus: z.array(menuItem) });
