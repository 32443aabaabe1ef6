import { hmacSha256Hex, md5Hex } from '../../commerce-core/src';

export type DouyinSignMethod = 'md5' | 'hmac-sha256';

/** Message push: `event-sign` = MD5(app_key + body + app_secret), or HMAC-SHA256 keyed by the secret when `sign-method` says so. */
export function eventSign(appKey: string, rawBody: string, appSecret: string, method: DouyinSignMethod = 'md5'): string {
  const text = `${appKey}${rawBody}${appSecret}`;
  return method === 'hmac-sha256' ? hmacSha256Hex(appSecret, text) : md5Hex(text);
}

/**
 * Open API: secret + `app_key…method…param_json…timestamp…v…` + secret, HMAC-SHA256 keyed by the
 * secret (sign_method=hmac-sha256). `param_json` is the JSON of the parameters with sorted keys.
 */
export function apiSign(params: { app_key: string; method: string; param_json: string; timestamp: string; v: string }, appSecret: string): string {
  const text = `${appSecret}app_key${params.app_key}method${params.method}param_json${params.param_json}timestamp${params.timestamp}v${params.v}${appSecret}`;
  return hmacSha256Hex(appSecret, text);
}

/** JSON with keys sorted at every level, as the open API signs it. */
export function sortedJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value as Record<string, unknown>).sort().map((k) => `${JSON.stringify(k)}:${sortedJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
