/** A decrypted archive message (PROTOCOL §5.4); every type keeps its body under its msgtype key. */
export interface ArchivedMessage {
  msgid: string;
  action?: string;
  from?: string;
  tolist?: string[];
  roomid?: string;
  msgtime?: number;
  msgtype?: string;
  /** `switch` messages carry `time` and `user` instead of msgtime/from. */
  time?: number;
  user?: string;
  [body: string]: unknown;
}

/** Types whose files come through GetMediaData. */
export const mediaTypes = ['image', 'voice', 'video', 'file', 'emotion'] as const;
export type MediaType = (typeof mediaTypes)[number];

const str = (value: unknown) => (typeof value === 'string' ? value : '');
const bodyOf = (message: ArchivedMessage, key: string) => (message[key] && typeof message[key] === 'object' ? (message[key] as Record<string, unknown>) : {});

/** What search reads for a message: its words, whatever the type (empty for media without a name). */
export function searchableText(message: ArchivedMessage): string {
  const type = message.msgtype ?? message.action ?? '';
  const body = bodyOf(message, type);
  switch (type) {
    case 'text':
      return str(body.content);
    case 'file':
      return str(body.filename);
    case 'link':
      return [body.title, body.description].map(str).filter(Boolean).join(' ');
    case 'card':
      return str(body.corpname);
    case 'location':
      return [body.title, body.address].map(str).filter(Boolean).join(' ');
    case 'weapp':
      return [body.title, body.displayname].map(str).filter(Boolean).join(' ');
    case 'markdown':
    case 'news':
      return JSON.stringify(message.info ?? body).slice(0, 4000);
    case 'mixed': {
      const items = Array.isArray(body.item) ? (body.item as Array<{ type?: string; content?: string }>) : [];
      return items
        .filter((item) => item.type === 'text')
        .map((item) => {
          try {
            return str((JSON.parse(item.content ?? '{}') as { content?: unknown }).content);
          } catch {
            return '';
          }
        })
        .join(' ');
    }
    default:
      return '';
  }
}

/** External contacts' ids start with wm/wo (WeCom's external_userid prefixes); employees' userids do not. */
export const isExternalId = (id: string | undefined) => !!id && /^w[mo]/.test(id);

/** The parties of a message: the external contact of a one-to-one chat, and the employee. */
export function partiesOf(message: ArchivedMessage): { externalUserid: string | null; employeeUserid: string | null } {
  const people = [message.from ?? message.user, ...(message.tolist ?? [])].filter((id): id is string => !!id);
  const external = message.roomid ? null : (people.find(isExternalId) ?? null);
  const employee = people.find((id) => !isExternalId(id)) ?? null;
  return { externalUserid: external, employeeUserid: employee };
}

export const messageTime = (message: ArchivedMessage) => new Date(message.msgtime ?? message.time ?? 0);
