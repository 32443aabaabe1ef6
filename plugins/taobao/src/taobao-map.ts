import type { CommerceOrder } from '@scrm/plugin-sdk';
import { approximatePosition, categoryOf, shanghaiTimeToIso, yuanToFen } from '../../commerce-core/src';
import type { Trade } from './taobao-types';

const statusOf: Record<string, CommerceOrder['status']> = {
  WAIT_BUYER_PAY: 'created',
  WAIT_SELLER_SEND_GOODS: 'paid',
  SELLER_CONSIGNED_PART: 'paid',
  WAIT_BUYER_CONFIRM_GOODS: 'shipped',
  TRADE_BUYER_SIGNED: 'shipped',
  TRADE_FINISHED: 'completed',
  TRADE_CLOSED: 'refunded',
  TRADE_CLOSED_BY_TAOBAO: 'cancelled',
};

/** A TOP trade → the common order (yuan strings → fen; Beijing times → UTC). */
export function mapTrade(trade: Trade, options: { shopId: string; categoryMap?: Record<string, string>; refunded?: boolean }): CommerceOrder {
  const address = [trade.receiver_state, trade.receiver_city, trade.receiver_district, trade.receiver_address].filter(Boolean).join('') || undefined;
  const status = options.refunded ? 'refunded' : (statusOf[trade.status] ?? 'created');
  return {
    platform: 'taobao',
    platformOrderId: trade.tid,
    shopId: options.shopId,
    status,
    buyer: {
      ...(trade.receiver_name ? { name: trade.receiver_name } : {}),
      ...(trade.receiver_mobile ? { phone: trade.receiver_mobile } : {}),
      ...(trade.buyer_open_uid ? { unionid: trade.buyer_open_uid } : {}),
      ...(address ? { address } : {}),
      ...(approximatePosition(address) ?? {}),
    },
    items: trade.orders.order.map((o) => {
      const category = categoryOf(options.categoryMap, o.cid);
      return { sku: o.outer_sku_id || o.num_iid, name: o.title, ...(category ? { category } : {}), quantity: o.num, unitPriceFen: yuanToFen(o.price) };
    }),
    totalFen: yuanToFen(trade.total_fee),
    paidFen: yuanToFen(trade.payment),
    sourceChannel: trade.type === 'tmall' ? 'tmall' : 'taobao',
    createdAt: shanghaiTimeToIso(trade.created),
    ...(trade.pay_time ? { paidAt: shanghaiTimeToIso(trade.pay_time) } : {}),
    ...(status === 'refunded' ? { refundedAt: new Date().toISOString() } : {}),
  };
}
