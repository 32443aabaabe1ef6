import { z } from 'zod';
import type { ContactChange, ExternalChatChange, ExternalContactChange, ExternalTagChange, MessageFields } from './wecom-event';

type CamelKey<K extends string> = K extends `${infer Head}ID` ? `${Uncapitalize<Head>}Id` : Uncapitalize<K>;
type Camelized<T> = T extends unknown ? { [K in keyof T & string as CamelKey<K>]: T[K] } : never;

const camelKey = (key: string) => key.replace(/ID$/, 'Id').replace(/^./, (c) => c.toLowerCase());

/** `UserID` → `userId`, `ChangeType` → `changeType`; absent fields are left out rather than set to undefined. */
function camelized<T extends object>(fields: T): Camelized<T> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) out[camelKey(key)] = value;
  return out as Camelized<T>;
}

const absentIfEmpty = (value: string | undefined) => (value === undefined || value === '' ? undefined : value);
const id = z.string().min(1);
const text = z.string().optional().transform(absentIfEmpty);
const numberText = (pattern: RegExp) =>
  z
    .string()
    .regex(pattern)
    .or(z.literal(''))
    .optional()
    .transform((value) => (value === undefined || value === '' ? undefined : Number(value)));
const integer = numberText(/^-?\d+$/);
const decimal = numberText(/^-?\d+(\.\d+)?$/);
const splitList = (value: string | undefined) => (value ?? '').split(',').map((item) => item.trim()).filter(Boolean);
/** "zhangsan,lisi" → ['zhangsan', 'lisi']; absent → []. */
const list = z.string().optional().transform(splitList);
/** As {@link list}, but absent stays absent (update_user sends only what changed). */
const optionalList = z.string().optional().transform((value) => (value === undefined ? undefined : splitList(value)));

/** CreateTime / TimeStamp: whole seconds. */
export const epochSeconds = z.string().regex(/^\d{1,12}$/).transform(Number);

export const contactChange: z.ZodType<ContactChange> = z
  .discriminatedUnion('ChangeType', [
    z.object({
      ChangeType: z.literal(['create_user', 'update_user']),
      UserID: id,
      NewUserID: text,
      Name: text,
      Department: optionalList,
      MainDepartment: text,
      Position: text,
      Mobile: text,
      Gender: text,
      Email: text,
      Status: text,
      Avatar: text,
      Alias: text,
      Telephone: text,
    }),
    z.object({ ChangeType: z.literal('delete_user'), UserID: id }),
    z.object({ ChangeType: z.literal(['create_party', 'update_party']), Id: id, Name: text, ParentId: text, Order: integer }),
    z.object({ ChangeType: z.literal('delete_party'), Id: id }),
    z.object({ ChangeType: z.literal('update_tag'), TagId: id, AddUserItems: list, DelUserItems: list, AddPartyItems: list, DelPartyItems: list }),
  ])
  .transform(camelized);

const customer = { UserID: id, ExternalUserID: id };

export const externalContactChange: z.ZodType<ExternalContactChange> = z
  .discriminatedUnion('ChangeType', [
    z.object({ ChangeType: z.literal(['add_external_contact', 'add_half_external_contact']), ...customer, State: text, WelcomeCode: text }),
    z.object({ ChangeType: z.literal(['edit_external_contact', 'del_follow_user']), ...customer }),
    z.object({ ChangeType: z.literal('del_external_contact'), ...customer, Source: text }),
    z.object({ ChangeType: z.literal('transfer_fail'), ...customer, FailReason: id }),
    z.object({ ChangeType: z.literal('msg_audit_approved'), ...customer, WelcomeCode: text }),
  ])
  .transform(camelized);

export const externalChatChange: z.ZodType<ExternalChatChange> = z
  .discriminatedUnion('ChangeType', [
    z.object({ ChangeType: z.literal(['create', 'dismiss']), ChatId: id }),
    z.object({ ChangeType: z.literal('update'), ChatId: id, UpdateDetail: id, JoinScene: integer, QuitScene: integer, MemChangeCnt: integer }),
  ])
  .transform(camelized);

export const externalTagChange: z.ZodType<ExternalTagChange> = z
  .discriminatedUnion('ChangeType', [
    z.object({ ChangeType: z.literal(['create', 'update', 'delete']), Id: id, TagType: z.enum(['tag', 'tag_group']), StrategyId: text }),
    z.object({ ChangeType: z.literal('shuffle'), Id: text, StrategyId: text }),
  ])
  .transform(camelized);

export const messageFields: z.ZodType<MessageFields> = z
  .object({
    MsgType: id,
    MsgId: id,
    FromUserName: id,
    Content: text,
    PicUrl: text,
    MediaId: text,
    Format: text,
    ThumbMediaId: text,
    Location_X: decimal,
    Location_Y: decimal,
    Scale: integer,
    Label: text,
    Title: text,
    Description: text,
    Url: text,
  })
  .transform(({ FromUserName, Location_X, Location_Y, ...rest }) =>
    camelized({ ...rest, FromUserID: FromUserName, LocationX: Location_X, LocationY: Location_Y }),
  );

/** The head of an internal-format callback (自建 / 代开发 apps). */
export const internalHead = z.object({ ToUserName: id, CreateTime: epochSeconds, MsgType: id, Event: text, AgentID: text });

/** The head of a 3rd-party suite callback. */
export const suiteHead = z.object({ SuiteId: id, AuthCorpId: id, InfoType: id, TimeStamp: epochSeconds, AgentID: text });
