import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const md5Hex = (text: string): string => createHash('md5').update(text, 'utf8').digest('hex');
export const hmacSha256Hex = (key: string, text: string): string => createHmac('sha256', key).update(text, 'utf8').digest('hex');

/** Compares two signatures in constant time (case-insensitive hex). */
export function signaturesEqual(expected: string, received: string | undefined): boolean {
  if (!received) return false;
  const a = Buffer.from(expected.toLowerCase());
  const b = Buffer.from(received.toLowerCase());
  return a.length === b.length && timingSafeEqual(a, b);
}

/** `k1v1k2v2…` over the parameters sorted by name, skipping `sign` and empty values. */
export function sortedConcat(params: Record<string, string | number | undefined>, skip: string[] = ['sign']): string {
  return Object.keys(params)
    .filter((k) => !skip.includes(k) && params[k] !== undefined && params[k] !== '')
    .sort()
    .map((k) => `${k}${params[k]}`)
    .join('');
}

/**
 * The sign of the TOP family of open platforms (Taobao TOP, JD JOS, Pinduoduo): the secret, then
 * every parameter as name+value sorted by name, then the secret again; MD5 (or HMAC-MD5/SHA256
 * keyed by the secret) in upper-case hex.
 */
export function topSign(params: Record<string, string | number | undefined>, secret: string, method: 'md5' | 'hmac-sha256' = 'md5'): string {
  const body = sortedConcat(params);
  return (method === 'md5' ? md5Hex(`${secret}${body}${secret}`) : hmacSha256Hex(secret, body)).toUpperCase();
}
