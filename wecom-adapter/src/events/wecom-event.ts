import type { XmlFields } from './safe-xml';

/** What every recognised callback carries, whichever of WeCom's two formats it came in. */
export interface EventBase {
  /** ToUserName (internal / 代开发 apps) or AuthCorpId (3rd-party suites). */
  corpId: string;
  /** CreateTime or TimeStamp, in seconds. */
  createTime: number;
  /** `internal`: ToUserName/FromUserName/CreateTime/MsgType/Event; `suite`: SuiteId/AuthCorpId/InfoType/TimeStamp. */
  format: 'internal' | 'suite';
  suiteId?: string;
  agentId?: string;
  /** Every field as parsed, including the ones not lifted into typed properties. */
  raw: XmlFields;
}

/** change_contact (通讯录变更). update_user carries only the fields that changed. */
export type ContactChange =
  | {
      changeType: 'create_user' | 'update_user';
      userId: string;
      newUserId?: string;
      name?: string;
      department?: string[];
      mainDepartment?: string;
      position?: string;
      mobile?: string;
      gender?: string;
      email?: string;
      status?: string;
      avatar?: string;
      alias?: string;
      telephone?: string;
    }
  | { changeType: 'delete_user'; userId: string }
  | { changeType: 'create_party' | 'update_party'; id: string; name?: string; parentId?: string; order?: number }
  | { changeType: 'delete_party'; id: string }
  | { changeType: 'update_tag'; tagId: string; addUserItems: string[]; delUserItems: string[]; addPartyItems: string[]; delPartyItems: string[] };

/** change_external_contact (客户变更). `userId` is the member; for transfer_fail, the takeover member. */
export type ExternalContactChange =
  | { changeType: 'add_external_contact' | 'add_half_external_contact'; userId: string; externalUserId: string; state?: string; welcomeCode?: string }
  | { changeType: 'edit_external_contact' | 'del_follow_user'; userId: string; externalUserId: string }
  /** `source` is `DELETE_BY_TRANSFER` when 在职继承 removed the customer automatically. */
  | { changeType: 'del_external_contact'; userId: string; externalUserId: string; source?: string }
  /** `failReason`: `customer_refused` | `customer_limit_exceed`. */
  | { changeType: 'transfer_fail'; userId: string; externalUserId: string; failReason: string }
  | { changeType: 'msg_audit_approved'; userId: string; externalUserId: string; welcomeCode?: string };

/**
 * change_external_chat (客户群变更). updateDetail: add_member | del_member | change_owner | change_name |
 * change_notice; joinScene 0 member invite, 3 QR code; quitScene 0 left, 1 removed by owner/admin.
 */
export type ExternalChatChange =
  | { changeType: 'create' | 'dismiss'; chatId: string }
  | { changeType: 'update'; chatId: string; updateDetail: string; joinScene?: number; quitScene?: number; memChangeCnt?: number };

/** change_external_tag (企业客户标签变更). The fields of `shuffle` are unverified, hence all optional. */
export type ExternalTagChange =
  | { changeType: 'create' | 'update' | 'delete'; id: string; tagType: 'tag' | 'tag_group'; strategyId?: string }
  | { changeType: 'shuffle'; id?: string; strategyId?: string };

/** A message a member sent to the app (MsgType other than `event`). */
export interface MessageFields {
  /** text | image | voice | video | location | link | … */
  msgType: string;
  msgId: string;
  /** FromUserName: the sending member's UserID. */
  fromUserId: string;
  content?: string;
  picUrl?: string;
  mediaId?: string;
  format?: string;
  thumbMediaId?: string;
  locationX?: number;
  locationY?: number;
  scale?: number;
  label?: string;
  title?: string;
  description?: string;
  url?: string;
}

export type ContactEvent = EventBase & { kind: 'contact' } & ContactChange;
export type ExternalContactEvent = EventBase & { kind: 'external_contact' } & ExternalContactChange;
export type ExternalChatEvent = EventBase & { kind: 'external_chat' } & ExternalChatChange;
export type ExternalTagEvent = EventBase & { kind: 'external_tag' } & ExternalTagChange;
/** 会话内容存档 has new messages: pull them with the Finance SDK. */
export type MsgAuditNotifyEvent = EventBase & { kind: 'msgaudit_notify' };
export type MessageEvent = EventBase & { kind: 'message' } & MessageFields;

/** Anything not recognised, or recognised but missing required fields: kept raw, never dropped. */
export interface UnknownEvent {
  kind: 'unknown';
  raw: XmlFields;
  corpId?: string;
  createTime?: number;
  /** Event, InfoType or MsgType, when present. */
  event?: string;
  changeType?: string;
  /** Why a recognised event did not validate. */
  issues?: string[];
}

export type WecomEvent =
  | ContactEvent
  | ExternalContactEvent
  | ExternalChatEvent
  | ExternalTagEvent
  | MsgAuditNotifyEvent
  | MessageEvent
  | UnknownEvent;

export type WecomEventKind = WecomEvent['kind'];

/** The WeCom event name (Event / InfoType) behind each change kind. */
export const wecomEventNames = {
  contact: 'change_contact',
  external_contact: 'change_external_contact',
  external_chat: 'change_external_chat',
  external_tag: 'change_external_tag',
  msgaudit_notify: 'msgaudit_notify',
} as const satisfies Partial<Record<WecomEventKind, string>>;
