import { randomBytes } from 'node:crypto';
import { getJsApiSignature } from '@wecom/crypto';

export interface JsApiSignature {
  timestamp: number;
  nonceStr: string;
  signature: string;
}

/**
 * Signature for `wx.config` (corp jsapi ticket) and `wx.agentConfig` (agent_config ticket): SHA-1 of
 * jsapi_ticket, noncestr, timestamp and url in that order, the url without its `#fragment`.
 */
export function signJsApi(input: { ticket: string; url: string; nonceStr?: string; timestamp?: number }): JsApiSignature {
  const timestamp = input.timestamp ?? Math.floor(Date.now() / 1000);
  const nonceStr = input.nonceStr ?? randomBytes(8).toString('hex');
  const { signature } = getJsApiSignature({ ticket: input.ticket, url: input.url.split('#')[0] ?? input.url, nonceStr, timestamp });
  return { timestamp, nonceStr, signature };
}
