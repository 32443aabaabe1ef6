import type { PluginContext } from '@scrm/plugin-sdk';
import { z } from 'zod';
import { PlatformError, pollWithCursor, startingWindow, topSign, windowPage, type Intake, type WindowCursor } from '../../commerce-core/src';
import { mapPddOrder } from './pdd-map';
import type { PddSettings } from './pdd-settings';
import { pddOrder, type PddOrder } from './pdd-types';

const TYPE = 'pdd.order.number.list.increment.get';
const PAGE_SIZE = 100;
const seconds = (date: Date) => String(Math.floor(date.getTime() / 1000));

async function incrementPage(context: PluginContext<PddSettings>, window: { start: Date; end: Date; page: number }): Promise<{ items: PddOrder[]; hasNext: boolean }> {
  const { http, settings } = context;
  const params: Record<string, string> = {
    type: TYPE,
    client_id: settings.clientId,
    access_token: settings.accessToken,
    timestamp: seconds(new Date()),
    data_type: 'JSON',
    version: 'V1',
    is_lucky_flag: '0',
    order_status: '5',
    refund_status: '5',
    start_updated_at: seconds(window.start),
    end_updated_at: seconds(window.end),
    page: String(window.page),
    page_size: String(PAGE_SIZE),
    use_has_next: 'true',
  };
  params.sign = topSign(params, settings.clientSecret);
  const reply = await http.post(settings.gateway, params, { headers: { 'content-type': 'application/json' } });
  const body = reply.data as { error_response?: { error_code: number; error_msg: string }; order_sn_increment_get_response?: { order_sn_list?: unknown[]; has_next?: boolean } };
  if (body.error_response) throw new PlatformError('pinduoduo', String(body.error_response.error_code), body.error_response.error_msg);
  const result = body.order_sn_increment_get_response;
  return { items: z.array(pddOrder).parse(result?.order_sn_list ?? []), hasNext: Boolean(result?.has_next) };
}

/** Orders updated since the saved cursor, in windows of at most 30 minutes (the API's limit), page by page. */
export async function pullPinduoduo(context: PluginContext<PddSettings>, intake: Intake): Promise<void> {
  await pollWithCursor<WindowCursor, PddOrder>({
    kv: context.kv,
    key: 'cursor:orders',
    initial: () => startingWindow(0.5),
    fetchPage: (cursor) => windowPage(cursor, 30, (window) => incrementPage(context, window)),
    // The order status and the refund status together say what happened.
    handle: (order) => intake({ platformOrderId: order.order_sn, event: `${order.order_status}-${order.refund_status}`, raw: order }),
    maxPages: 200,
  });
}

/** A stored 拼多多 order (as the pull found it) → the common order. */
export const readPddOrder = (raw: unknown, context: PluginContext<PddSettings>) => mapPddOrder(pddOrder.parse(raw), { shopId: context.settings.shopId, categoryMap: context.settings.categoryMap });
