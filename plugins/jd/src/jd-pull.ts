import type { PluginContext } from '@scrm/plugin-sdk';
import { z } from 'zod';
import { isoToShanghaiTime, PlatformError, type Intake, pollWithCursor, startingWindow, topSign, windowPage, type WindowCursor } from '../../commerce-core/src';
import { mapJdOrder } from './jd-map';
import type { JdSettings } from './jd-settings';
import { jdOrder, polledStates, type JdOrder } from './jd-types';

const METHOD = 'jingdong.pop.order.enSearch';
const PAGE_SIZE = 100;

async function searchOrders(context: PluginContext<JdSettings>, window: { start: Date; end: Date; page: number }): Promise<{ items: JdOrder[]; hasNext: boolean }> {
  const { http, settings } = context;
  const paramJson = JSON.stringify({ start_date: isoToShanghaiTime(window.start), end_date: isoToShanghaiTime(window.end), order_state: polledStates, page: String(window.page), page_size: String(PAGE_SIZE), dateType: '0' });
  const params: Record<string, string> = { method: METHOD, app_key: settings.appKey, access_token: settings.accessToken, timestamp: isoToShanghaiTime(new Date()), v: '2.0', '360buy_param_json': paramJson };
  params.sign = topSign(params, settings.appSecret);
  const reply = await http.post(settings.gateway, new URLSearchParams(params).toString(), { headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' } });
  const body = reply.data as { error_response?: { code: string; zh_desc?: string; en_desc?: string }; jingdong_pop_order_enSearch_responce?: { searchorderinfo_result?: { orderInfoList?: unknown[]; orderTotal?: number } } };
  if (body.error_response) throw new PlatformError('jd', body.error_response.code, body.error_response.zh_desc ?? body.error_response.en_desc ?? '');
  const result = body.jingdong_pop_order_enSearch_responce?.searchorderinfo_result;
  const items = z.array(jdOrder).parse(result?.orderInfoList ?? []);
  return { items, hasNext: window.page * PAGE_SIZE < (result?.orderTotal ?? 0) };
}

/** Orders modified since the saved cursor, in windows of at most one day (JOS's limit), page by page. */
export async function pullJd(context: PluginContext<JdSettings>, intake: Intake): Promise<void> {
  await pollWithCursor<WindowCursor, JdOrder>({
    kv: context.kv,
    key: 'cursor:orders',
    initial: () => startingWindow(),
    fetchPage: (cursor) => windowPage(cursor, 24 * 60, (window) => searchOrders(context, window)),
    handle: (order) => intake({ platformOrderId: order.orderId, event: order.orderState, raw: order }),
  });
}

/** A stored JOS order (as the pull found it) → the common order. */
export const readJdOrder = (raw: unknown, context: PluginContext<JdSettings>) => mapJdOrder(jdOrder.parse(raw), { shopId: context.settings.shopId, categoryMap: context.settings.categoryMap });
