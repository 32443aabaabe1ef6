import { z } from 'zod';
import { pageSchema } from '../../core/http/pagination';

export const searchQuery = z.object({
  q: z.string().trim().max(100).optional(),
  employee: z.string().max(64).optional(),
  customerId: z.coerce.number().int().positive().optional(),
  roomId: z.string().max(64).optional(),
  type: z.string().max(32).optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  beforeId: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const hit = z.object({
  id: z.number(),
  msgid: z.string(),
  msgtype: z.string().nullable(),
  from: z.string().nullable(),
  to: z.array(z.string()),
  roomId: z.string().nullable(),
  customerId: z.number().nullable(),
  employee: z.string().nullable(),
  storeId: z.number().nullable(),
  time: z.date().nullable(),
  text: z.string().nullable(),
  revoked: z.boolean(),
});

export const searchReply = z.object({ items: z.array(hit), nextBeforeId: z.number().nullable() });

export const keyVersionParams = z.object({ version: z.coerce.number().int().min(1).max(1_000_000) });
export const keyBody = z.object({ privateKey: z.string().min(100).max(10_000) });
export const keyInfo = z.object({ version: z.number(), fingerprint: z.string() });

export const status = z.object({
  parked: z.number(),
  cursors: z.array(
    z.object({
      corpId: z.string(),
      lastSeq: z.number(),
      messagesStored: z.number(),
      lastBatchAt: z.date().nullable(),
      lastBatchMessages: z.number(),
      ratePerSecond: z.number(),
      lastMessageAt: z.date().nullable(),
      /** Seconds between the newest archived message and the batch that stored it. */
      lagSeconds: z.number().nullable(),
      lastError: z.string().nullable(),
      lastErrorAt: z.date().nullable(),
    }),
  ),
});

export const settingsView = z.object({
  secret: z.string().nullable(),
  secretFromEnv: z.boolean(),
  sdkPath: z.string().nullable(),
  sdkPathFromEnv: z.boolean(),
  retentionDays: z.number(),
  consentRequired: z.boolean(),
});

export const settingsPatch = z
  .object({
    secret: z.string().trim().min(8).max(256).optional(),
    sdkPath: z
      .string()
      .trim()
      .max(500)
      .refine((path) => path.startsWith('/'), 'must be an absolute path')
      .nullable()
      .optional(),
    retentionDays: z.number().int().min(0).max(36_500).optional(),
    consentRequired: z.boolean().optional(),
  })
  .strict();

export const conversations = pageSchema(hit).extend({ consent: z.enum(['agreed', 'disagreed', 'unknown']), visible: z.boolean() });
