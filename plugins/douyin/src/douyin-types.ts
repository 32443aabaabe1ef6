import { z } from 'zod';
import { idFieldOf } from '../../commerce-core/src';

/** One pushed message: `data` is itself JSON text. */
export const pushMessage = z.object({ tag: z.string(), msg_id: z.string(), data: z.string() });
export const pushBody = z.array(pushMessage).max(200);

/** Order messages name the parent order (`p_id`); after-sale messages also carry the refund time. */
export const messageData = z.object({ p_id: z.string().regex(/^\d{1,20}$/), refund_time: z.number().int().optional() });

/**
 * Reads a message's `data`. Ids are 19-digit integers beyond JS's safe range, so `p_id` is taken
 * from the text as digits rather than through `JSON.parse`. Unreadable data is reported, not thrown.
 */
export function readMessageData(text: string): { success: true; order: z.infer<typeof messageData> } | { success: false } {
  let parsed: { refund_time?: unknown };
  try {
    parsed = JSON.parse(text) as { refund_time?: unknown };
  } catch {
    return { success: false };
  }
  const checked = messageData.safeParse({ p_id: idFieldOf(text, 'p_id'), ...(typeof parsed?.refund_time === 'number' ? { refund_time: parsed.refund_time } : {}) });
  return checked.success ? { success: true, order: checked.data } : { success: false };
}

/** Tags this connector acts on: order created, paid, shipped, finished, cancelled; refund succeeded. */
export const orderTags = { created: '100', paid: '101', shipped: '102', completed: '103', cancelled: '106', refunded: '206' } as const;

export const shopOrderDetail = z.object({
  order_id: z.string(),
  shop_id: z.union([z.number(), z.string()]).transform(String),
  /** 1 to pay, 2 paid (备货中), 3 shipped, 4 cancelled, 5 finished */
  order_status: z.number().int(),
  order_amount: z.number().int(),
  pay_amount: z.number().int(),
  create_time: z.number().int(),
  pay_time: z.number().int().optional(),
  /** Set for orders placed in a streamer's live room. */
  author_id: z.union([z.number(), z.string()]).optional(),
  post_receiver: z.string().optional(),
  post_tel: z.string().optional(),
  open_id: z.string().optional(),
  post_addr: z.object({ province: z.object({ name: z.string() }), city: z.object({ name: z.string() }), town: z.object({ name: z.string() }).optional(), detail: z.string() }).optional(),
  sku_order_list: z
    .array(z.object({ sku_id: z.union([z.number(), z.string()]).transform(String), out_sku_id: z.string().optional(), product_name: z.string(), item_num: z.number().int().positive(), origin_amount: z.number().int(), pay_amount: z.number().int(), first_cid: z.union([z.number(), z.string()]).optional(), third_cid: z.union([z.number(), z.string()]).optional() }))
    .min(1),
});
export type ShopOrderDetail = z.infer<typeof shopOrderDetail>;
