import { z } from 'zod';
import { pageQuery } from '../../core/http/pagination';
import { pluginNamePattern } from './plugin-manifest';
import { rolloutModes } from './plugin.models';

export const pluginParams = z.object({ name: z.string().regex(pluginNamePattern, 'not a plugin name') });
export const deliveryParams = pluginParams.extend({ deliveryId: z.coerce.number().int().positive() });

export const rolloutBody = z
  .object({
    mode: z.enum(rolloutModes),
    percent: z.number().int().min(0).max(100).default(100),
    storeIds: z.array(z.number().int().positive()).max(5000).default([]),
  })
  .refine((b) => b.mode !== 'stores' || b.storeIds.length > 0, { message: 'choose at least one store', path: ['storeIds'] });

export const settingsBody = z.object({ settings: z.record(z.string(), z.unknown()) });
export const failuresQuery = pageQuery;

const localized = z.object({ 'zh-CN': z.string(), 'en-US': z.string() });
export const pluginView = z.object({
  name: z.string(),
  source: z.enum(['folder', 'package', 'path']),
  valid: z.boolean(),
  problems: z.array(z.object({ path: z.string(), message: z.string() })),
  version: z.string().nullable(),
  title: localized,
  enabled: z.boolean(),
  rollout: z.object({ mode: z.enum(rolloutModes), percent: z.number(), storeIds: z.array(z.number()) }),
  settings: z.record(z.string(), z.unknown()),
  settingsSchema: z.record(z.string(), z.unknown()).nullable().describe('JSON Schema of the settings, for the generated form'),
  deadDeliveries: z.number().int(),
  pendingDeliveries: z.number().int(),
  failures24h: z.number().int(),
});
