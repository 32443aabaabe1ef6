import { type AxiosInstance, isAxiosError } from 'axios';
import { redactSecrets } from './wecom-error';

export type HttpMethod = 'GET' | 'POST';
export type QueryValue = string | number | undefined;

export interface ExchangeRequest {
  method: HttpMethod;
  url: string;
  params: Record<string, QueryValue>;
  data?: unknown;
}

/** A WeCom JSON body: `errcode` is 0 (or absent) on success. */
export type WecomBody = Record<string, unknown> & { errcode?: number; errmsg?: string };

export type ExchangeOutcome =
  | { ok: true; body: WecomBody }
  | {
      ok: false;
      /** True when the request may have reached WeCom (so replaying it could repeat a side effect). */
      reached: boolean;
      httpStatus?: number;
      transportCode?: string;
      reason: string;
    };

/** Connection errors raised before any byte of the request could have been processed. */
const notReachedCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * One HTTP round trip. Never throws and never returns the axios error itself: axios errors carry
 * the request URL and params (access_token, corpsecret), which must not travel into logs.
 */
export async function exchange(http: AxiosInstance, req: ExchangeRequest): Promise<ExchangeOutcome> {
  try {
    const res = await http.request<unknown>({
      method: req.method,
      url: req.url,
      params: req.params,
      data: req.data,
      responseType: 'json',
      validateStatus: () => true,
    });
    if (res.status < 200 || res.status >= 300) {
      return { ok: false, reached: true, httpStatus: res.status, reason: `HTTP ${res.status}` };
    }
    const body = typeof res.data === 'string' ? tryParse(res.data) : res.data;
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      return { ok: false, reached: true, httpStatus: res.status, reason: 'response is not a JSON object' };
    }
    return { ok: true, body: body as WecomBody };
  } catch (err) {
    const code = isAxiosError(err) ? err.code : undefined;
    return {
      ok: false,
      reached: !(code && notReachedCodes.has(code)),
      ...(code ? { transportCode: code } : {}),
      reason: `network error ${code ?? 'unknown'}`,
    };
  }
}

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** Reads WeCom's errcode leniently: absent → 0, numeric strings accepted. */
export function errcodeOf(body: WecomBody): number {
  const raw: unknown = body.errcode;
  if (raw === undefined || raw === null || raw === '') return 0;
  const n = Number(raw);
  return Number.isFinite(n) ? n : -1;
}

/** WeCom's errmsg, with anything shaped like `access_token=…` / `corpsecret=…` redacted. */
export function errmsgOf(body: WecomBody): string {
  return typeof body.errmsg === 'string' ? redactSecrets(body.errmsg) : '';
}
