import { createHash } from 'node:crypto';
import type { XmlFields, XmlValue } from './safe-xml';
import { wecomEventNames, type WecomEvent } from './wecom-event';

/** Fits a VARCHAR(191) unique index (utf8mb4). */
export const maxIdempotencyKeyLength = 191;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Delivery fields: they say who received the event and how, not what happened. */
const deliveryFields = new Set(['ToUserName', 'FromUserName', 'MsgType', 'AgentID', 'SuiteId', 'AuthCorpId', 'InfoType', 'Event', 'CreateTime', 'TimeStamp']);

/** The ids a reader would look for in the key, in this order. */
const idFields = ['UserID', 'ExternalUserID', 'ChatId', 'Id', 'TagId', 'TagType', 'UpdateDetail'];

/** JSON with sorted keys, so that field order never changes a hash. */
function canonical(value: XmlValue): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonical(value[key] ?? '')}`).join(',')}}`;
}

function withoutDelivery(raw: XmlFields): XmlFields {
  return Object.fromEntries(Object.entries(raw).filter(([name]) => !deliveryFields.has(name)));
}

/** Keeps the readable head of an over-long key and replaces the rest with a hash of the whole key. */
function bounded(key: string): string {
  if (key.length <= maxIdempotencyKeyLength) return key;
  const hash = sha256(key);
  return `${key.slice(0, maxIdempotencyKeyLength - hash.length - 1)}~${hash}`;
}

/**
 * The key under which a callback is stored once, so that WeCom's retries (up to three, after a 5 s
 * timeout) are recognised. Messages: `msg:<MsgId>`. Change events: corp, event, change type, the ids,
 * CreateTime, then a digest of every non-delivery field, so two different events in the same second
 * never share a key while a retry (the same plaintext) always does. Unknown events: a SHA-256 of the
 * canonical raw fields. At most {@link maxIdempotencyKeyLength} characters.
 */
export function eventIdempotencyKey(event: WecomEvent): string {
  if (event.kind === 'message') return bounded(`msg:${event.msgId}`);
  if (event.kind === 'unknown') return `raw:${sha256(canonical(event.raw))}`;
  const changeType = 'changeType' in event ? event.changeType : '';
  const ids = idFields.flatMap((name) => {
    const value = event.raw[name];
    return typeof value === 'string' && value !== '' ? [value] : [];
  });
  const digest = sha256(canonical(withoutDelivery(event.raw))).slice(0, 16);
  const parts = ['evt', event.corpId, wecomEventNames[event.kind], changeType, String(event.createTime), ...ids, digest];
  return bounded(parts.join(':'));
}
