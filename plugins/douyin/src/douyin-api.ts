import type { AxiosInstance } from 'axios';
import { apiSign, sortedJson } from './douyin-sign';
import type { DouyinSettings } from './douyin-settings';
import { shopOrderDetail, type ShopOrderDetail } from './douyin-types';

/** `order.orderDetail` of the 抖店 open API (signed request; code 10000 is success). */
export async function fetchOrderDetail(http: AxiosInstance, settings: DouyinSettings, orderId: string): Promise<ShopOrderDetail> {
  const method = 'order.orderDetail';
  const params = { app_key: settings.appKey, method, param_json: sortedJson({ shop_order_id: orderId }), timestamp: String(Math.floor(Date.now() / 1000)), v: '2' };
  const query = new URLSearchParams({ ...params, access_token: settings.accessToken, sign_method: 'hmac-sha256', sign: apiSign(params, settings.appSecret) });
  const reply = await http.post(`${settings.apiBase}/${method.replace('.', '/')}?${query.toString()}`, params.param_json, { headers: { 'content-type': 'application/json' } });
  const body = reply.data as { code: number; msg: string; data?: { shop_order_detail?: unknown } };
  if (body.code !== 10000) throw new Error(`douyin ${method} failed: ${body.code} ${body.msg}`);
  return shopOrderDetail.parse(body.data?.shop_order_detail);
}
