import type { Transaction } from 'sequelize';
import type { Models } from '../../core/db/models';
import type { WorkOrderRow } from './work-order.models';

export interface ProductLine {
  sku?: string;
  name: string;
  category?: string;
  quantity: number;
}

export interface ServiceLine {
  code?: string;
  name: string;
  quantity: number;
}

export const parseJsonArray = <T>(text: string | null): T[] => {
  if (!text) return [];
  const parsed = JSON.parse(text) as unknown;
  return Array.isArray(parsed) ? (parsed as T[]) : [];
};

/**
 * The `order` fact of edge conditions (see `orderConditionFields`): the first service item and
 * product category, total quantity, store and region codes, VIP customers.
 */
export async function orderFactsOf(models: Models, order: WorkOrderRow, tx?: Transaction): Promise<Record<string, unknown>> {
  const products = parseJsonArray<ProductLine>(order.products);
  const services = parseJsonArray<ServiceLine>(order.service_items);
  const store = await models.Store.findByPk(order.store_id, { attributes: ['code', 'region_id'], raw: true, transaction: tx });
  const region = store ? await models.Region.findByPk(store.region_id, { attributes: ['code'], raw: true, transaction: tx }) : null;
  const customer = order.customer_id ? await models.Customer.findByPk(order.customer_id, { attributes: ['stage'], raw: true, transaction: tx }) : null;
  return {
    serviceItem: services[0]?.code ?? services[0]?.name ?? null,
    productCategory: products[0]?.category ?? null,
    sourceChannel: order.source_channel,
    storeCode: store?.code ?? null,
    regionCode: region?.code ?? null,
    priority: order.priority,
    amountFen: Number(order.amount_fen),
    quantity: products.reduce((sum, p) => sum + Number(p.quantity || 0), 0),
    isVip: (customer as { stage?: string } | null)?.stage === 'vip',
  };
}
