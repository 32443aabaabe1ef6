import { z } from 'zod';

export const pddOrder = z.object({
  order_sn: z.string(),
  /** 1 to ship (paid), 2 shipped, 3 received */
  order_status: z.number().int(),
  /** 1 none, 2 refunding, 3 refund refused, 4 refunded */
  refund_status: z.number().int(),
  pay_amount: z.number(),
  goods_amount: z.number(),
  created_time: z.string(),
  pay_time: z.string().optional(),
  updated_at: z.string(),
  receiver_name: z.string().optional(),
  receiver_phone: z.string().optional(),
  province: z.string().optional(),
  city: z.string().optional(),
  town: z.string().optional(),
  address: z.string().optional(),
  /** 0 single purchase, 1 group purchase (拼团) */
  trade_type: z.number().int().optional(),
  item_list: z.array(z.object({ goods_id: z.number(), sku_id: z.number(), outer_id: z.string().optional(), goods_name: z.string(), goods_count: z.number().int().positive(), goods_price: z.number() })).min(1),
});
export type PddOrder = z.infer<typeof pddOrder>;
