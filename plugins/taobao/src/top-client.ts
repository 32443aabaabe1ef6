import type { AxiosInstance } from 'axios';
import { isoToShanghaiTime, PlatformError, topSign } from '../../commerce-core/src';
import type { TaobaoSettings } from './taobao-settings';

/** One signed TOP call (form post, sign_method=md5); an `error_response` becomes a PlatformError. */
export async function topCall<T>(http: AxiosInstance, settings: TaobaoSettings, method: string, params: Record<string, string>): Promise<T> {
  const all: Record<string, string> = { method, app_key: settings.appKey, session: settings.sessionKey, timestamp: isoToShanghaiTime(new Date()), format: 'json', v: '2.0', sign_method: 'md5', ...params };
  all.sign = topSign(all, settings.appSecret);
  const reply = await http.post(settings.gateway, new URLSearchParams(all).toString(), { headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' } });
  const body = reply.data as Record<string, unknown> & { error_response?: { code: number | string; msg: string; sub_msg?: string } };
  if (body.error_response) throw new PlatformError('taobao', String(body.error_response.code), body.error_response.sub_msg ?? body.error_response.msg);
  return body[`${method.replace(/^taobao\./, '').replace(/\./g, '_')}_response`] as T;
}
