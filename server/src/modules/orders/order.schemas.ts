import { z } from 'zod';
import { pageQuery } from '../../core/http/pagination';
import { orderStatuses, storeStrategies } from './order.models';

const code = z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, 'lower-case letters, digits, _ -');
const fen = z.number().int().min(0).max(1e12);
const instant = z.string().datetime({ offset: true });

/** The common order every connector maps to (the SDK's `CommerceOrder`), checked at the core's door. */
export const commerceOrder = z.object({
  platform: code,
  platformOrderId: z.string().min(1).max(64),
  shopId: z.string().min(1).max(64),
  status: z.enum(orderStatuses),
  buyer: z.object({
    name: z.string().max(128).optional(),
    phone: z.string().regex(/^\+?[0-9 -]{5,20}$/, 'a phone number').optional(),
    unionid: z.string().min(1).max(64).optional(),
    address: z.string().max(255).optional(),
    lat: z.number().min(-90).max(90).optional(),
    lng: z.number().min(-180).max(180).optional(),
  }),
  items: z
    .array(z.object({ sku: z.string().min(1).max(64), name: z.string().min(1).max(128), category: z.string().min(1).max(64).optional(), quantity: z.number().int().positive().max(100_000), unitPriceFen: fen }))
    .min(1)
    .max(100),
  totalFen: fen,
  paidFen: fen,
  sourceChannel: code,
  createdAt: instant,
  paidAt: instant.optional(),
  refundedAt: instant.optional(),
});
export type CommerceOrderInput = z.infer<typeof commerceOrder>;

/** What a connector hands the inbox (the SDK's `OrderDelivery`), checked before it is stored. */
export const orderDeliveries = z
  .array(z.object({ platformOrderId: z.string().min(1).max(64), event: z.string().min(1).max(64), payload: z.string().max(1024 * 1024) }))
  .max(500);

export const inboxStatuses = ['processed', 'pending', 'dead'] as const;
export type InboxStatus = (typeof inboxStatuses)[number];

export const inboxListQuery = pageQuery.extend({
  status: z.enum(inboxStatuses).optional(),
  platform: code.optional(),
  platformOrderId: z.string().min(1).max(64).optional(),
});

export const inboxItem = z.object({
  id: z.number(),
  platform: z.string(),
  platformOrderId: z.string(),
  event: z.string(),
  status: z.enum(inboxStatuses),
  deliveries: z.number(),
  attempts: z.number(),
  lastError: z.string().nullable(),
  orderId: z.number().nullable(),
  receivedAt: z.string(),
  processedAt: z.string().nullable(),
});

/** One json-rules-engine condition over the order facts (see `orderFacts`). */
const leaf = z.object({
  fact: z.enum(['categories', 'skus', 'totalFen', 'paidFen', 'sourceChannel', 'platform', 'shopId', 'itemCount']),
  operator: z.enum(['equal', 'notEqual', 'in', 'notIn', 'contains', 'doesNotContain', 'lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive']),
  value: z.union([z.string().max(64), z.number(), z.array(z.string().max(64)).max(50)]),
});
export const ruleConditions = z.union([z.object({ all: z.array(leaf).max(20) }), z.object({ any: z.array(leaf).min(1).max(20) })]);
export type RuleConditions = z.infer<typeof ruleConditions>;

export const serviceItemMapping = z.object({
  /** Which order items this line is made for (every item when empty); quantity follows the item's. */
  match: z.object({ sku: z.string().min(1).max(64).optional(), category: z.string().min(1).max(64).optional() }).default({}),
  code: z.string().min(1).max(64).optional(),
  name: z.string().min(1).max(128),
});
export type ServiceItemMapping = z.infer<typeof serviceItemMapping>;

export const ruleBody = z
  .object({
    name: z.string().min(1).max(100),
    priority: z.number().int().min(0).max(10_000).default(100),
    enabled: z.boolean().default(true),
    conditions: ruleConditions,
    flowCode: z.string().min(1).max(64),
    storeStrategy: z.enum(storeStrategies),
    storeId: z.number().int().positive().nullable().default(null),
    serviceItems: z.array(serviceItemMapping).max(50).default([]),
  })
  .refine((r) => r.storeStrategy !== 'fixed' || r.storeId !== null, { message: 'choose the store for a fixed-store rule', path: ['storeId'] });
export type RuleInput = z.infer<typeof ruleBody>;

export const shopBody = z.object({ platform: code, shopId: z.string().min(1).max(64), name: z.string().min(1).max(100), defaultStoreId: z.number().int().positive().nullable() });
export type ShopInput = z.infer<typeof shopBody>;

export const storePositionBody = z.object({ lat: z.number().min(-90).max(90).nullable(), lng: z.number().min(-180).max(180).nullable() }).refine((b) => (b.lat === null) === (b.lng === null), { message: 'give both lat and lng, or neither', path: ['lat'] });

export const orderListQuery = pageQuery.extend({
  platform: code.optional(),
  status: z.enum(orderStatuses).optional(),
  storeId: z.coerce.number().int().positive().optional(),
  customerId: z.coerce.number().int().positive().optional(),
  keyword: z.string().min(1).max(64).optional(),
});
export type OrderListQuery = z.infer<typeof orderListQuery>;

export const orderItem = z.object({
  id: z.number(),
  platform: z.string(),
  platformOrderId: z.string(),
  shopId: z.string(),
  status: z.enum(orderStatuses),
  customerId: z.number().nullable(),
  customerName: z.string().nullable(),
  storeId: z.number().nullable(),
  storeName: z.string().nullable(),
  buyerName: z.string().nullable(),
  buyerPhone: z.string().nullable(),
  items: z.array(z.object({ sku: z.string(), name: z.string(), category: z.string().optional(), quantity: z.number(), unitPriceFen: z.number() })),
  totalFen: z.number(),
  paidFen: z.number(),
  sourceChannel: z.string(),
  placedAt: z.string(),
  paidAt: z.string().nullable(),
  refundedAt: z.string().nullable(),
  ruleId: z.number().nullable(),
  workOrderIds: z.array(z.number()),
  routingNote: z.string().nullable(),
});

export const ruleItem = z.object({
  id: z.number(),
  name: z.string(),
  priority: z.number(),
  enabled: z.boolean(),
  conditions: ruleConditions,
  flowCode: z.string(),
  storeStrategy: z.enum(storeStrategies),
  storeId: z.number().nullable(),
  serviceItems: z.array(serviceItemMapping),
});
