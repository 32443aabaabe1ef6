import type { PluginContext } from '@scrm/plugin-sdk';
import { z } from 'zod';
import { idFieldOf, type Intake } from '../../commerce-core/src';
import { mapTrade } from './taobao-map';
import type { TaobaoSettings } from './taobao-settings';
import { tmcMessage, topics, trade } from './taobao-types';
import { topCall } from './top-client';

const acted = new Set<string>(Object.values(topics));
const tradeFields = 'tid,status,total_fee,payment,created,pay_time,type,receiver_name,receiver_mobile,receiver_state,receiver_city,receiver_district,receiver_address,buyer_open_uid,orders.oid,orders.num_iid,orders.outer_sku_id,orders.title,orders.num,orders.price,orders.cid';

/**
 * Consumes the shop's TMC messages, fetches each named trade's full info and confirms the batch
 * once each was taken in. A trade named twice in a batch is fetched once; unconfirmed messages come back.
 */
export async function pullTaobao(context: PluginContext<TaobaoSettings>, intake: Intake): Promise<void> {
  const { http, settings } = context;
  const consumed = await topCall<{ messages?: { tmc_message?: unknown[] } }>(http, settings, 'taobao.tmc.messages.consume', { group_name: settings.tmcGroup, quantity: '100' });
  const messages = z.array(tmcMessage).parse(consumed?.messages?.tmc_message ?? []);
  const byTrade = new Map<string, { refunded: boolean }>();
  for (const message of messages.filter((m) => acted.has(m.topic))) {
    const tid = idFieldOf(message.content, 'tid');
    if (!tid) continue;
    const seen = byTrade.get(tid);
    byTrade.set(tid, { refunded: (seen?.refunded ?? false) || message.topic === topics.refunded });
  }
  for (const [tid, { refunded }] of byTrade) {
    const got = await topCall<{ trade: unknown }>(http, settings, 'taobao.trade.fullinfo.get', { tid, fields: tradeFields });
    const found = trade.parse(got.trade);
    await intake({ platformOrderId: tid, event: refunded ? 'refunded' : found.status, raw: { trade: found, refunded } });
  }
  if (messages.length) await topCall(http, settings, 'taobao.tmc.messages.confirm', { group_name: settings.tmcGroup, s_message_ids: messages.map((m) => m.id).join(',') });
}

const storedTrade = z.object({ trade, refunded: z.boolean() });

/** A stored trade (as the pull fetched it, and whether a refund message named it) → the common order. */
export function readTaobaoTrade(raw: unknown, context: PluginContext<TaobaoSettings>) {
  const stored = storedTrade.parse(raw);
  return mapTrade(stored.trade, { shopId: context.settings.shopId, categoryMap: context.settings.categoryMap, refunded: stored.refunded });
}
