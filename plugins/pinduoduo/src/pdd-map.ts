import type { CommerceOrder } from '@scrm/plugin-sdk';
import { approximatePosition, categoryOf, shanghaiTimeToIso, yuanToFen } from '../../commerce-core/src';
import type { PddOrder } from './pdd-types';

const statusOf: Record<number, CommerceOrder['status']> = { 1: 'paid', 2: 'shipped', 3: 'completed' };

/** A 拼多多 order → the common order (yuan numbers → fen via decimal; Beijing times → UTC). */
export function mapPddOrder(order: PddOrder, options: { shopId: string; categoryMap?: Record<string, string> }): CommerceOrder {
  const refunded = order.refund_status === 4;
  const address = [order.province, order.city, order.town, order.address].filter(Boolean).join('') || undefined;
  return {
    platform: 'pinduoduo',
    platformOrderId: order.order_sn,
    shopId: options.shopId,
    status: refunded ? 'refunded' : (statusOf[order.order_status] ?? 'paid'),
    buyer: {
      ...(order.receiver_name ? { name: order.receiver_name } : {}),
      ...(order.receiver_phone ? { phone: order.receiver_phone } : {}),
      ...(address ? { address } : {}),
      ...(approximatePosition(address) ?? {}),
    },
    items: order.item_list.map((item) => {
      const category = categoryOf(options.categoryMap, item.outer_id, item.goods_id, item.sku_id);
      return { sku: item.outer_id || String(item.sku_id), name: item.goods_name, ...(category ? { category } : {}), quantity: item.goods_count, unitPriceFen: yuanToFen(item.goods_price) };
    }),
    totalFen: yuanToFen(order.goods_amount),
    paidFen: yuanToFen(order.pay_amount),
    sourceChannel: order.trade_type === 1 ? 'pdd_group' : 'pdd',
    createdAt: shanghaiTimeToIso(order.created_time),
    ...(order.pay_time ? { paidAt: shanghaiTimeToIso(order.pay_time) } : {}),
    ...(refunded ? { refundedAt: shanghaiTimeToIso(order.updated_at) } : {}),
  };
}
