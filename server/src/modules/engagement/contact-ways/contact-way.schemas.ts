import { z } from 'zod';

const userid = z.string().min(1).max(64);
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'HH:mm');
/** Files are small (QR flyers, price lists): base64 up to ~5 MB decoded. */
const base64File = { fileName: z.string().min(1).max(128), dataBase64: z.string().min(8).max(7_000_000) };

export const scheduleSlot = z
  .object({
    /** 1 = Monday … 7 = Sunday, in Asia/Shanghai. */
    weekdays: z.array(z.number().int().min(1).max(7)).min(1).max(7),
    from: hhmm,
    to: hhmm,
    users: z.array(userid).min(1).max(100),
  })
  .refine((s) => s.from < s.to, { message: 'from must be before to', path: ['to'] });

export const welcomeAttachment = z.discriminatedUnion('type', [
  z.object({ type: z.literal('image'), ...base64File }),
  z.object({ type: z.literal('link'), title: z.string().min(1).max(128), url: z.url().max(2048), picUrl: z.url().max(2048).optional(), desc: z.string().max(512).optional() }),
  z.object({ type: z.literal('miniprogram'), title: z.string().min(1).max(64), appid: z.string().min(1).max(64), page: z.string().min(1).max(256), ...base64File }),
  z.object({ type: z.literal('file'), ...base64File }),
]);

export const welcomeMessage = z
  .object({ text: z.string().max(4000).optional(), attachments: z.array(welcomeAttachment).max(9).default([]) })
  .refine((w) => Boolean(w.text?.trim()) || w.attachments.length > 0, { message: 'text or at least one attachment is required', path: ['text'] });

export const contactWayBody = z.object({
  name: z.string().trim().min(1).max(64),
  /** Comes back in add_external_contact; unique per corp. */
  state: z.string().regex(/^[A-Za-z0-9_-]{1,30}$/, 'letters, digits, _ or -, at most 30'),
  users: z.array(userid).min(1).max(100),
  backupUsers: z.array(userid).max(100).default([]),
  schedule: z.array(scheduleSlot).max(50).default([]),
  skipVerify: z.boolean().default(true),
  tagIds: z.array(z.number().int().positive()).max(50).default([]),
  storeId: z.number().int().positive().nullable().default(null),
  welcome: welcomeMessage.nullable().default(null),
});
export const contactWayPatch = contactWayBody.omit({ state: true }).partial();
export const idParams = z.object({ id: z.coerce.number().int().positive() });
export const statsQuery = z.object({ from: z.iso.datetime().optional(), to: z.iso.datetime().optional() });

export type ScheduleSlot = z.infer<typeof scheduleSlot>;
export type WelcomeAttachment = z.infer<typeof welcomeAttachment>;
export type WelcomeMessage = z.infer<typeof welcomeMessage>;
export type ContactWayBody = z.infer<typeof contactWayBody>;
export type ContactWayPatch = z.infer<typeof contactWayPatch>;

const attachmentView = z.object({ type: z.string(), title: z.string().optional(), url: z.string().optional(), fileName: z.string().optional() });
export const contactWayView = z.object({
  id: z.number(),
  name: z.string(),
  state: z.string(),
  configId: z.string().nullable(),
  qrCode: z.string().nullable(),
  skipVerify: z.boolean(),
  users: z.array(z.string()),
  backupUsers: z.array(z.string()),
  schedule: z.array(z.object({ weekdays: z.array(z.number()), from: z.string(), to: z.string(), users: z.array(z.string()) })),
  currentUsers: z.array(z.string()),
  tagIds: z.array(z.number()),
  storeId: z.number().nullable(),
  welcome: z.object({ text: z.string().optional(), attachments: z.array(attachmentView) }).nullable(),
  createdAt: z.string(),
});
export const channelStats = z.object({
  contactWayId: z.number(),
  name: z.string(),
  adds: z.number(),
  losses: z.number(),
  net: z.number(),
  customersWithOrders: z.number(),
  conversionRate: z.number(),
  welcome: z.object({ sent: z.number(), missed: z.number(), failed: z.number() }),
});
export const welcomeSendView = z.object({
  id: z.number(),
  contactWayId: z.number().nullable(),
  externalUserid: z.string(),
  wecomUserid: z.string(),
  status: z.string(),
  errcode: z.number().nullable(),
  error: z.string().nullable(),
  eventAt: z.string(),
  finishedAt: z.string().nullable(),
  latencyMs: z.number().nullable(),
});
