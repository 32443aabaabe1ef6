import type { PluginOrderIntake } from '@scrm/plugin-sdk';
import { fetchOrderDetail } from './douyin-api';
import { mapDouyinOrder } from './douyin-map';
import type { DouyinSettings } from './douyin-settings';
import { orderTags, readMessageData } from './douyin-types';

/** A stored push message → the order's current detail from the open API → the common order. */
export const douyinOrderIntake: PluginOrderIntake<DouyinSettings> = {
  async toOrder(delivery, context) {
    const data = readMessageData(delivery.payload);
    if (!data.success) throw new Error(`stored message of order ${delivery.platformOrderId} has no order id`);
    const detail = await fetchOrderDetail(context.http, context.settings, data.order.p_id);
    return mapDouyinOrder(detail, { categoryMap: context.settings.categoryMap, ...(delivery.event === orderTags.refunded ? { refund: { at: data.order.refund_time } } : {}) });
  },
};
