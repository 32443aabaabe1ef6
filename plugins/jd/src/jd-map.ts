import type { CommerceOrder } from '@scrm/plugin-sdk';
import { approximatePosition, categoryOf, shanghaiTimeToIso, yuanToFen } from '../../commerce-core/src';
import type { JdOrder } from './jd-types';

const statusOf: Record<string, CommerceOrder['status']> = { WAIT_SELLER_STOCK_OUT: 'paid', WAIT_GOODS_RECEIVE_CONFIRM: 'shipped', FINISHED_L: 'completed' };

/** A JOS order → the common order. JD lists no category per item: the shop maps its SKUs (`categoryMap`). */
export function mapJdOrder(order: JdOrder, options: { shopId: string; categoryMap?: Record<string, string> }): CommerceOrder {
  const paidFen = yuanToFen(order.orderPayment);
  const cancelled = order.orderState === 'TRADE_CANCELED';
  const status: CommerceOrder['status'] = cancelled ? (order.paymentConfirmTime ? 'refunded' : 'cancelled') : (statusOf[order.orderState] ?? 'created');
  const address = order.consigneeInfo?.fullAddress;
  return {
    platform: 'jd',
    platformOrderId: order.orderId,
    shopId: options.shopId,
    status,
    buyer: {
      ...(order.consigneeInfo?.fullname ? { name: order.consigneeInfo.fullname } : {}),
      ...(order.consigneeInfo?.mobile ? { phone: order.consigneeInfo.mobile } : {}),
      ...(address ? { address } : {}),
      ...(approximatePosition(address) ?? {}),
    },
    items: order.itemInfoList.map((item) => {
      const category = categoryOf(options.categoryMap, item.outerSkuId, item.skuId);
      return { sku: item.outerSkuId || item.skuId, name: item.skuName, ...(category ? { category } : {}), quantity: Number(item.itemTotal), unitPriceFen: yuanToFen(item.jdPrice) };
    }),
    totalFen: yuanToFen(order.orderTotalPrice),
    paidFen,
    sourceChannel: 'jd',
    createdAt: shanghaiTimeToIso(order.orderStartTime),
    ...(order.paymentConfirmTime ? { paidAt: shanghaiTimeToIso(order.paymentConfirmTime) } : {}),
    ...(status === 'refunded' ? { refundedAt: order.modified ? shanghaiTimeToIso(order.modified) : new Date().toISOString() } : {}),
  };
}
