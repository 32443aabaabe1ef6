import type { PiiField } from '../../core/crypto/pii-field';
import type { Models } from '../../core/db/models';
import type { OrderRow } from './order.models';
import { orgNamesOf } from '../org/org-names';

export interface OrderItemLine {
  sku: string;
  name: string;
  category?: string;
  quantity: number;
  unitPriceFen: number;
}

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());
const idOrNull = (value: number | null) => (value === null ? null : Number(value));

/** Orders as the API shows them: names instead of ids, the buyer's phone masked unless `reveal`. */
export function createOrderPresenter(deps: { models: Models; phone: PiiField }) {
  const { models, phone } = deps;
  return async function present(rows: OrderRow[], reveal: boolean) {
    const customerIds = [...new Set(rows.map((r) => r.customer_id).filter((v): v is number => v !== null).map(Number))];
    const [customers, storeName] = await Promise.all([
      customerIds.length ? models.Customer.findAll({ where: { id: customerIds }, attributes: ['id', 'name'], raw: true }) : [],
      orgNamesOf(models).stores(rows.map((r) => r.store_id)),
    ]);
    const customerName = new Map(customers.map((c) => [Number(c.id), c.name]));
    return rows.map((r) => ({
      id: Number(r.id),
      platform: r.platform,
      platformOrderId: r.platform_order_id,
      shopId: r.shop_id,
      status: r.status,
      customerId: idOrNull(r.customer_id),
      customerName: r.customer_id === null ? null : (customerName.get(Number(r.customer_id)) ?? null),
      storeId: idOrNull(r.store_id),
      storeName: r.store_id === null ? null : (storeName.get(Number(r.store_id)) ?? null),
      buyerName: r.buyer_name,
      buyerPhone: phone.present(r as unknown as Record<string, unknown>, reveal),
      items: JSON.parse(r.items) as OrderItemLine[],
      totalFen: Number(r.total_fen),
      paidFen: Number(r.paid_fen),
      sourceChannel: r.source_channel,
      placedAt: new Date(r.placed_at).toISOString(),
      paidAt: iso(r.paid_at),
      refundedAt: iso(r.refunded_at),
      ruleId: idOrNull(r.rule_id),
      workOrderIds: JSON.parse(r.work_order_ids) as number[],
      routingNote: r.routing_note,
    }));
  };
}

export type OrderPresenter = ReturnType<typeof createOrderPresenter>;
