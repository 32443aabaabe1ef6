import { z } from 'zod';

export const tmcMessage = z.object({ id: z.union([z.string(), z.number()]).transform(String), topic: z.string(), content: z.string(), pub_time: z.string().optional() });

/** Topics acted on; each message names the trade (`tid`), whose full info is then fetched. */
export const topics = { created: 'taobao_trade_TradeCreate', paid: 'taobao_trade_TradeBuyerPay', shipped: 'taobao_trade_TradeSellerShip', completed: 'taobao_trade_TradeSuccess', closed: 'taobao_trade_TradeClose', refunded: 'taobao_refund_RefundSuccess' } as const;

export const trade = z.object({
  tid: z.union([z.string(), z.number()]).transform(String),
  status: z.string(),
  total_fee: z.string(),
  payment: z.string(),
  created: z.string(),
  pay_time: z.string().optional(),
  receiver_name: z.string().optional(),
  receiver_mobile: z.string().optional(),
  receiver_state: z.string().optional(),
  receiver_city: z.string().optional(),
  receiver_district: z.string().optional(),
  receiver_address: z.string().optional(),
  buyer_open_uid: z.string().optional(),
  type: z.string().optional(),
  orders: z.object({
    order: z.array(z.object({ oid: z.union([z.string(), z.number()]).transform(String), num_iid: z.union([z.string(), z.number()]).transform(String), outer_sku_id: z.string().optional(), title: z.string(), num: z.number().int().positive(), price: z.string(), cid: z.union([z.string(), z.number()]).transform(String).optional() })).min(1),
  }),
});
export type Trade = z.infer<typeof trade>;
