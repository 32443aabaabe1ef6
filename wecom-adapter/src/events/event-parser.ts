import type { z } from 'zod';
import { contactChange, externalChatChange, externalContactChange, externalTagChange, internalHead, messageFields, suiteHead } from './event-schemas';
import { parseXml, type XmlFields } from './safe-xml';
import type { EventBase, UnknownEvent, WecomEvent } from './wecom-event';

interface Head {
  base: EventBase;
  /** Event (internal) or InfoType (suite). */
  event?: string;
  /** Set for internal-format messages (MsgType other than `event`). */
  msgType?: string;
}

const text = (raw: XmlFields, name: string) => {
  const value = raw[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
};

const issueList = (issues: z.core.$ZodIssue[]) => issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);

function unknownEvent(raw: XmlFields, issues?: string[]): UnknownEvent {
  const event: UnknownEvent = { kind: 'unknown', raw };
  const corpId = text(raw, 'AuthCorpId') ?? text(raw, 'ToUserName');
  const time = Number(text(raw, 'CreateTime') ?? text(raw, 'TimeStamp'));
  const name = text(raw, 'InfoType') ?? text(raw, 'Event') ?? text(raw, 'MsgType');
  const changeType = text(raw, 'ChangeType');
  if (corpId !== undefined) event.corpId = corpId;
  if (Number.isSafeInteger(time) && time > 0) event.createTime = time;
  if (name !== undefined) event.event = name;
  if (changeType !== undefined) event.changeType = changeType;
  if (issues?.length) event.issues = issues;
  return event;
}

function base(raw: XmlFields, fields: Omit<EventBase, 'raw' | 'suiteId' | 'agentId'>, suiteId?: string, agentId?: string): EventBase {
  return { ...fields, ...(suiteId === undefined ? {} : { suiteId }), ...(agentId === undefined ? {} : { agentId }), raw };
}

/** Reads the format-specific head: SuiteId/AuthCorpId/InfoType/TimeStamp or ToUserName/CreateTime/MsgType/Event. */
function readHead(raw: XmlFields): Head | string[] {
  if ('InfoType' in raw || 'SuiteId' in raw) {
    const suite = suiteHead.safeParse(raw);
    if (!suite.success) return issueList(suite.error.issues);
    const { SuiteId, AuthCorpId, InfoType, TimeStamp, AgentID } = suite.data;
    return { base: base(raw, { corpId: AuthCorpId, createTime: TimeStamp, format: 'suite' }, SuiteId, AgentID), event: InfoType };
  }
  const internal = internalHead.safeParse(raw);
  if (!internal.success) return issueList(internal.error.issues);
  const { ToUserName, CreateTime, MsgType, Event, AgentID } = internal.data;
  const head = base(raw, { corpId: ToUserName, createTime: CreateTime, format: 'internal' }, undefined, AgentID);
  return MsgType === 'event' ? { base: head, ...(Event === undefined ? {} : { event: Event }) } : { base: head, msgType: MsgType };
}

function typed<K extends string, C>(kind: K, schema: z.ZodType<C>, head: EventBase): (EventBase & { kind: K } & C) | UnknownEvent {
  const parsed = schema.safeParse(head.raw);
  if (!parsed.success) return unknownEvent(head.raw, issueList(parsed.error.issues));
  return { ...head, kind, ...parsed.data };
}

/**
 * Turns the fields of a decrypted callback into one {@link WecomEvent}. Both WeCom formats (internal
 * apps and 3rd-party suites) give the same shape. Unrecognised events, and recognised ones missing
 * required fields, come back as `{ kind: 'unknown', raw }`: never thrown, never dropped.
 */
export function parseWecomEvent(raw: XmlFields): WecomEvent {
  const head = readHead(raw);
  if (Array.isArray(head)) return unknownEvent(raw, head);
  if (head.msgType !== undefined) return typed('message', messageFields, head.base);
  switch (head.event) {
    case 'change_contact':
      return typed('contact', contactChange, head.base);
    case 'change_external_contact':
      return typed('external_contact', externalContactChange, head.base);
    case 'change_external_chat':
      return typed('external_chat', externalChatChange, head.base);
    case 'change_external_tag':
      return typed('external_tag', externalTagChange, head.base);
    case 'msgaudit_notify':
      return { ...head.base, kind: 'msgaudit_notify' };
    default:
      return unknownEvent(raw);
  }
}

/** {@link parseXml} then {@link parseWecomEvent}: throws only for XML refused by the safe parser. */
export async function parseEventXml(xml: string, opts: { maxBytes?: number } = {}): Promise<WecomEvent> {
  return parseWecomEvent(await parseXml(xml, opts));
}
