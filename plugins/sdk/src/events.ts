/**
 * Every event a plugin hook can subscribe to, with its payload. Hooks are delivered after the change
 * commits, at least once, from the outbox: a handler must tolerate a repeat (use `delivery.id`).
 * A hook name or payload that is not in this map fails to compile.
 */

/** A common e-commerce order, as every connector maps it. Money in integer fen. */
export interface CommerceOrder {
  /** douyin | taobao | jd | pinduoduo | a plugin's own platform code */
  platform: string;
  platformOrderId: string;
  /** The shop on the platform (a corp may run several). */
  shopId: string;
  status: 'created' | 'paid' | 'shipped' | 'completed' | 'refunded' | 'cancelled';
  buyer: { name?: string; phone?: string; unionid?: string; address?: string; lat?: number; lng?: number };
  items: Array<{ sku: string; name: string; category?: string; quantity: number; unitPriceFen: number }>;
  totalFen: number;
  paidFen: number;
  /** How the order reached the shop: douyin_live, pdd_group, … (settlement splits by it). */
  sourceChannel: string;
  createdAt: string;
  paidAt?: string;
  refundedAt?: string;
}

export interface EventMap {
  'customer.created': { customerId: number; storeId: number | null; externalUserId: string | null; source: string };
  'customer.updated': { customerId: number; fields: string[] };
  'customer.tagged': { customerId: number; addedTagIds: number[]; removedTagIds: number[] };
  /** A customer moved to another lifecycle stage (stage codes). */
  'customer.stageChanged': { customerId: number; storeId: number | null; from: string; to: string };
  'tag.created': { tagId: number; groupId: number | null; name: string };
  'tag.deleted': { tagId: number };
  'order.created': { orderId: number; order: CommerceOrder; customerId: number | null };
  'order.paid': { orderId: number; order: CommerceOrder; customerId: number | null };
  'order.refunded': { orderId: number; order: CommerceOrder; customerId: number | null; workOrderIds: number[] };
  'workOrder.created': { workOrderId: number; orderNo: string; flowCode: string; storeId: number; customerId: number | null; sourceChannel: string };
  'workOrder.nodeEntered': { workOrderId: number; nodeKey: string; nodeName: string };
  'workOrder.completed': { workOrderId: number; orderNo: string; storeId: number };
  'workOrder.cancelled': { workOrderId: number; orderNo: string; reason: string };
  'settlement.jobPriced': { workOrderId: number; periodId: number; totalFen: number };
  'settlement.periodClosed': { periodId: number; code: string; linesHash: string };
  /** Every WeCom callback event after it is stored: `kind` as in the adapter's typed events. */
  'wecom.event': { kind: string; changeType: string | null; event: Record<string, unknown> };
}
export type EventName = keyof EventMap;

/** Metadata of one hook delivery. */
export interface Delivery {
  /** Stable across retries of the same event to the same plugin. */
  id: string;
  attempt: number;
  occurredAt: string;
}

/**
 * Filters: extension points the core awaits *before* acting. A filter returns the (possibly changed)
 * input, or calls `veto(reason)` to refuse the action (the caller gets a 422 naming the plugin).
 * Filters run in plugin order, each with a time limit; a filter that throws or times out is skipped
 * (and counted), never failing the core action.
 */
export interface FilterMap {
  'customer.beforeCreate': { name: string; phone?: string; storeId: number | null; source: string; tags: string[] };
  'workOrder.beforeCreate': { flowCode: string; storeId: number; customerId: number | null; sourceChannel: string; priority: string; serviceItems: Array<{ code?: string; name: string; quantity: number }> };
  /** A shop plugin issues a coupon; the input says for whom and why, the output what was issued. */
  'coupon.issue': { customerId: number; couponCode: string; reason: string; issued?: { couponId: string; expiresAt?: string } };
}
export type FilterName = keyof FilterMap;
