import { http } from './request';
import { cleanParams, type PageQuery, type PageResult } from './types';

export type OrderStatus = 'created' | 'paid' | 'shipped' | 'completed' | 'refunded' | 'cancelled';
export type StoreStrategy = 'nearest' | 'fixed' | 'shop_default';
export type RuleFact = 'categories' | 'skus' | 'totalFen' | 'paidFen' | 'sourceChannel' | 'platform' | 'shopId' | 'itemCount';

export interface ShopOrder {
  id: number;
  platform: string;
  platformOrderId: string;
  shopId: string;
  status: OrderStatus;
  customerId: number | null;
  customerName: string | null;
  storeId: number | null;
  storeName: string | null;
  buyerName: string | null;
  buyerPhone: string | null;
  items: Array<{ sku: string; name: string; category?: string; quantity: number; unitPriceFen: number }>;
  totalFen: number;
  paidFen: number;
  sourceChannel: string;
  placedAt: string;
  paidAt: string | null;
  refundedAt: string | null;
  ruleId: number | null;
  workOrderIds: number[];
  routingNote: string | null;
}

export interface RuleCondition {
  fact: RuleFact;
  operator: string;
  value: string | number | string[];
}

export interface OrderRule {
  id: number;
  name: string;
  priority: number;
  enabled: boolean;
  conditions: { all: RuleCondition[] } | { any: RuleCondition[] };
  flowCode: string;
  storeStrategy: StoreStrategy;
  storeId: number | null;
  serviceItems: Array<{ match: { sku?: string; category?: string }; code?: string; name: string }>;
}

export type OrderRuleInput = Omit<OrderRule, 'id'>;

export interface RuleCatalogue {
  facts: Array<{ fact: RuleFact; type: 'list' | 'fen' | 'number' | 'text'; operators: string[] }>;
  storeStrategies: StoreStrategy[];
  categories: string[];
  skus: string[];
}

export interface OrderQuery extends PageQuery {
  platform?: string;
  status?: OrderStatus | '';
  keyword?: string;
}

export const listOrders = (query: OrderQuery) => http.get<PageResult<ShopOrder>>('/api/orders', cleanParams(query));
export const listOrderRules = () => http.get<OrderRule[]>('/api/order-rules');
export const ruleCatalogue = () => http.get<RuleCatalogue>('/api/order-rules/catalogue');
export const createOrderRule = (body: OrderRuleInput) => http.post<OrderRule>('/api/order-rules', body);
export const updateOrderRule = (id: number, body: OrderRuleInput) => http.put<OrderRule>(`/api/order-rules/${id}`, body);
export const deleteOrderRule = (id: number) => http.delete<null>(`/api/order-rules/${id}`);

/** What became of a delivery pushed or pulled from a shop platform: taken in, waiting, or given up (replayable). */
export const INBOX_STATUSES = ['processed', 'pending', 'dead'] as const;
export type InboxStatus = (typeof INBOX_STATUSES)[number];

export interface OrderDelivery {
  id: number;
  platform: string;
  platformOrderId: string;
  event: string;
  status: InboxStatus;
  /** How many times the platform sent it (repeats are stored once). */
  deliveries: number;
  attempts: number;
  lastError: string | null;
  orderId: number | null;
  receivedAt: string;
  processedAt: string | null;
}

export interface OrderInboxQuery extends PageQuery {
  platform?: string;
  status?: InboxStatus | '';
  platformOrderId?: string;
}

/** Order deliveries, newest first (for users who see every store). */
export const listOrderInbox = (query: OrderInboxQuery) => http.get<PageResult<OrderDelivery>>('/api/order-inbox', cleanParams(query));
/** Processes a dead delivery again. */
export const replayOrderDelivery = (id: number) => http.post<{ replayed: boolean }>(`/api/order-inbox/${id}/replay`);
