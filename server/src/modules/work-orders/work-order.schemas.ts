import { z } from 'zod';
import { pageQuery } from '../../core/http/pagination';
import { nodeKey } from '../workflows/flow-definition';
import { attachmentKinds, workOrderStatuses } from './work-order.models';

const latitude = z.number().min(-90).max(90);
const longitude = z.number().min(-180).max(180);

export const productLine = z.object({
  sku: z.string().min(1).max(64).optional(),
  name: z.string().min(1).max(128),
  category: z.string().min(1).max(64).optional(),
  quantity: z.number().int().positive().max(100_000),
});
export const serviceLine = z.object({ code: z.string().min(1).max(64).optional(), name: z.string().min(1).max(128), quantity: z.number().int().positive().max(100_000).default(1) });
export const priorities = ['low', 'normal', 'high', 'urgent'] as const;

export const createWorkOrderBody = z
  .object({
    flowCode: z.string().min(1).max(64),
    customerId: z.number().int().positive().optional(),
    /** From the chat sidebar: the customer the conversation is with. */
    externalUserId: z.string().min(1).max(64).optional(),
    storeId: z.number().int().positive().optional(),
    title: z.string().min(1).max(128).optional(),
    address: z.string().min(1).max(255).optional(),
    lat: latitude.optional(),
    lng: longitude.optional(),
    products: z.array(productLine).max(100).default([]),
    serviceItems: z.array(serviceLine).max(100).default([]),
    sourceChannel: z.string().regex(/^[a-z][a-z0-9_:-]{0,31}$/, 'lower-case letters, digits, _ : -').default('console'),
    priority: z.enum(priorities).default('normal'),
    amountFen: z.number().int().min(0).max(1e12).default(0),
  })
  .refine((b) => (b.lat === undefined) === (b.lng === undefined), { message: 'give both lat and lng, or neither', path: ['lat'] });
export type CreateWorkOrderInput = z.infer<typeof createWorkOrderBody>;

const csv = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (typeof v === 'string' ? v.split(',').filter(Boolean) : v), z.array(item).max(50)).optional();

export const workOrderListQuery = pageQuery.extend({
  status: csv(z.enum(workOrderStatuses)),
  nodeKey: csv(nodeKey),
  storeId: z.coerce.number().int().positive().optional(),
  assigneeUserId: z.coerce.number().int().positive().optional(),
  flowId: z.coerce.number().int().positive().optional(),
  overdue: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  /** Tasks waiting in a pool the caller may claim. */
  claimable: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  keyword: z.string().min(1).max(64).optional(),
});
export type WorkOrderListQuery = z.infer<typeof workOrderListQuery>;

/** Breach rates cover tasks completed in the last `days` days and every open task with a limit. */
export const statsQuery = z.object({ days: z.coerce.number().int().min(1).max(365).default(30) });

export const lockVersionBody = z.object({ lockVersion: z.number().int().min(0) });

export const completeBody = z.object({
  lockVersion: z.number().int().min(0),
  form: z.record(z.string(), z.unknown()).default({}),
  parts: z.array(z.object({ name: z.string().min(1).max(128), sku: z.string().max(64).optional(), quantity: z.number().int().positive().max(10_000) })).max(200).default([]),
  note: z.string().max(1000).optional(),
});
export type CompleteInput = z.infer<typeof completeBody>;

export const checkInBody = z.object({ lat: latitude, lng: longitude, accuracyM: z.number().min(0).max(100_000).optional() });
export type CheckInInput = z.infer<typeof checkInBody>;

export const pauseBody = z.object({ lockVersion: z.number().int().min(0), status: z.enum(['waiting_customer', 'waiting_parts']), reason: z.string().max(500).optional() });
export const assignBody = z.object({ lockVersion: z.number().int().min(0), userId: z.number().int().positive() });
export const cancelBody = z.object({ lockVersion: z.number().int().min(0), reason: z.string().min(1).max(500) });
/** Skipping a failed automatic step says why (kept in the history). */
export const skipStepBody = z.object({ lockVersion: z.number().int().min(0), reason: z.string().trim().min(1).max(500) });
export const commentBody = z.object({ body: z.string().trim().min(1).max(2000) });

export const attachmentFields = z.object({
  kind: z.enum(attachmentKinds).default('photo'),
  capturedAt: z.string().datetime({ offset: true }).optional(),
  lat: z.coerce.number().min(-90).max(90).optional(),
  lng: z.coerce.number().min(-180).max(180).optional(),
});
export type AttachmentFields = z.infer<typeof attachmentFields>;

export const attachmentParams = z.object({ id: z.coerce.number().int().positive(), attachmentId: z.coerce.number().int().positive() });

export const technicianProfileBody = z.object({
  skills: z.array(z.string().min(1).max(32)).max(50).optional(),
  available: z.boolean().optional(),
  lat: latitude.optional(),
  lng: longitude.optional(),
});

export const migrationBody = z.object({
  fromVersionId: z.number().int().positive(),
  toVersionId: z.number().int().positive(),
  filter: z
    .object({
      nodeKeys: z.array(nodeKey).min(1).max(100).optional(),
      storeIds: z.array(z.number().int().positive()).min(1).max(1000).optional(),
      orderIds: z.array(z.number().int().positive()).min(1).max(10_000).optional(),
    })
    .default({}),
  /** Current node in the old version → node in the new one; unmapped nodes keep their key. */
  nodeMapping: z.record(nodeKey, nodeKey).default({}),
});
export type MigrationInput = z.infer<typeof migrationBody>;

export const workOrderItem = z.object({
  id: z.number(),
  orderNo: z.string(),
  flowId: z.number(),
  flowVersionId: z.number(),
  currentNodeKey: z.string().nullable(),
  currentNodeName: z.string().nullable(),
  status: z.enum(workOrderStatuses),
  title: z.string().nullable(),
  customerId: z.number().nullable(),
  customerName: z.string().nullable(),
  storeId: z.number(),
  storeName: z.string().nullable(),
  address: z.string().nullable(),
  lat: z.number().nullable(),
  lng: z.number().nullable(),
  sourceChannel: z.string(),
  priority: z.string(),
  amountFen: z.number(),
  assigneeUserId: z.number().nullable(),
  assigneeName: z.string().nullable(),
  acceptedAt: z.string().nullable(),
  poolRoleCode: z.string().nullable(),
  nodeStartedAt: z.string().nullable(),
  nodeDueAt: z.string().nullable(),
  overdue: z.boolean(),
  lockVersion: z.number(),
  createdAt: z.string(),
});
