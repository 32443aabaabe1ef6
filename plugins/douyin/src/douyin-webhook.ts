import type { OrderDelivery, PluginContext, PluginRoute } from '@scrm/plugin-sdk';
import { signaturesEqual, unauthorized } from '../../commerce-core/src';
import type { DouyinSettings } from './douyin-settings';
import { eventSign, type DouyinSignMethod } from './douyin-sign';
import { orderTags, pushBody, readMessageData } from './douyin-types';

const handled = new Set<string>(Object.values(orderTags));

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

const refused = (message: string) => ({ status: 400, body: { code: 400, msg: message } });

/**
 * Receives 抖店 message push: verifies `event-sign`, stores each order message in the order inbox
 * (durably, once per order and tag) and answers at once. The order's detail is fetched and taken in
 * afterwards (`orderIntake` in `douyin-intake.ts`).
 */
export async function handlePush(request: Parameters<PluginRoute<DouyinSettings>['handler']>[0], context: PluginContext<DouyinSettings>) {
  const { settings } = context;
  const method: DouyinSignMethod = request.headers['sign-method']?.toLowerCase() === 'hmac-sha256' ? 'hmac-sha256' : 'md5';
  if (request.headers['app-id'] !== settings.appKey || !signaturesEqual(eventSign(settings.appKey, request.rawBody, settings.appSecret, method), request.headers['event-sign'])) return unauthorized('douyin');
  // The host has parsed a JSON body already; the raw text is only needed for the signature.
  const parsed = pushBody.safeParse(Array.isArray(request.body) ? request.body : parseJson(request.rawBody));
  if (!parsed.success) return refused('body is not a message list');
  const deliveries: OrderDelivery[] = [];
  for (const [index, message] of parsed.data.entries()) {
    if (!handled.has(message.tag)) continue;
    const data = readMessageData(message.data);
    if (!data.success) return refused(`message ${index} (${message.msg_id}): data.p_id must be the order id`);
    deliveries.push({ platformOrderId: data.order.p_id, event: message.tag, payload: message.data });
  }
  if (deliveries.length) await context.services.orders.receive(deliveries);
  // 抖店 counts any other reply as a failed push and sends it again.
  return { status: 200, body: { code: 0, msg: 'success' } };
}
