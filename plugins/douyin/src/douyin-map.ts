import type { CommerceOrder } from '@scrm/plugin-sdk';
import { approximatePosition, categoryOf, unixSecondsToIso } from '../../commerce-core/src';
import type { ShopOrderDetail } from './douyin-types';

const statusOf: Record<number, CommerceOrder['status']> = { 1: 'created', 2: 'paid', 3: 'shipped', 4: 'cancelled', 5: 'completed' };

/** 抖店 order detail → the common order (amounts are already fen; times are Unix seconds). */
export function mapDouyinOrder(detail: ShopOrderDetail, options: { categoryMap?: Record<string, string>; refund?: { at?: number } }): CommerceOrder {
  const address = detail.post_addr ? `${detail.post_addr.province.name}${detail.post_addr.city.name}${detail.post_addr.town?.name ?? ''}${detail.post_addr.detail}` : undefined;
  const position = approximatePosition(address);
  return {
    platform: 'douyin',
    platformOrderId: detail.order_id,
    shopId: detail.shop_id,
    status: options.refund ? 'refunded' : (statusOf[detail.order_status] ?? 'created'),
    buyer: {
      ...(detail.post_receiver ? { name: detail.post_receiver } : {}),
      ...(detail.post_tel ? { phone: detail.post_tel } : {}),
      ...(detail.open_id ? { unionid: detail.open_id } : {}),
      ...(address ? { address } : {}),
      ...(position ?? {}),
    },
    items: detail.sku_order_list.map((sku) => {
      const category = categoryOf(options.categoryMap, sku.third_cid, sku.first_cid);
      return { sku: sku.out_sku_id || sku.sku_id, name: sku.product_name, ...(category ? { category } : {}), quantity: sku.item_num, unitPriceFen: Math.round(sku.origin_amount / sku.item_num) };
    }),
    totalFen: detail.order_amount,
    paidFen: detail.pay_amount,
    sourceChannel: detail.author_id ? 'douyin_live' : 'douyin_shop',
    createdAt: unixSecondsToIso(detail.create_time),
    ...(detail.pay_time ? { paidAt: unixSecondsToIso(detail.pay_time) } : {}),
    ...(options.refund ? { refundedAt: options.refund.at ? unixSecondsToIso(options.refund.at) : new Date().toISOString() } : {}),
  };
}
