import { z } from 'zod';

export const jdOrder = z.object({
  orderId: z.string(),
  orderState: z.string(),
  orderTotalPrice: z.string(),
  orderPayment: z.string(),
  orderStartTime: z.string(),
  paymentConfirmTime: z.string().optional(),
  modified: z.string().optional(),
  orderSource: z.string().optional(),
  consigneeInfo: z.object({ fullname: z.string().optional(), mobile: z.string().optional(), fullAddress: z.string().optional() }).optional(),
  itemInfoList: z.array(z.object({ skuId: z.string(), outerSkuId: z.string().optional(), skuName: z.string(), itemTotal: z.string(), jdPrice: z.string() })).min(1),
});
export type JdOrder = z.infer<typeof jdOrder>;

/** States polled: paid (to ship), shipped, finished, cancelled (a paid order cancelled is refunded). */
export const polledStates = 'WAIT_SELLER_STOCK_OUT,WAIT_GOODS_RECEIVE_CONFIRM,FINISHED_L,TRADE_CANCELED';
