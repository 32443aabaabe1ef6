/** What was sent: app messages per member, group-send templates, welcome codes and welcome messages. */

export interface ReceivedAppMessage {
  msgid: string;
  msgtype: string;
  agentid: number;
  /** The msgtype-specific part of the request (e.g. { content } for text). */
  content: unknown;
  sentAt: number;
}

export interface MsgTemplate {
  msgid: string;
  chatType: 'single' | 'group';
  sender?: string;
  externalUserids: string[];
  chatIds: string[];
  text?: { content: string };
  attachments: unknown[];
  createdAt: number;
  /** Per customer (external_userid): 0 not sent yet, 1 sent, 2 not a friend, 3 receive cap reached; send_time once sent. */
  results: Record<string, GroupMsgResult>;
  /** When the sender confirmed the task in their client (seconds). */
  confirmedAt?: number;
}

export type GroupMsgStatus = 0 | 1 | 2 | 3;

export interface GroupMsgResult {
  status: GroupMsgStatus;
  sendTime?: number;
}

export interface WelcomeCode {
  code: string;
  userid: string;
  externalUserid: string;
  issuedAt: number;
  usedAt?: number;
}

export interface WelcomeMessage {
  welcomeCode: string;
  userid: string;
  externalUserid: string;
  text?: { content: string };
  attachments: unknown[];
  sentAt: number;
}

export function createMessageState() {
  const received = new Map<string, ReceivedAppMessage[]>();
  const templates: MsgTemplate[] = [];
  const welcomeCodes = new Map<string, WelcomeCode>();
  const welcomeMessages: WelcomeMessage[] = [];
  let sentCount = 0;

  return {
    templates,
    welcomeCodes,
    welcomeMessages,
    deliver(userid: string, message: ReceivedAppMessage) {
      const list = received.get(userid);
      if (list) list.push(message);
      else received.set(userid, [message]);
      sentCount += 1;
    },
    receivedBy: (userid: string): readonly ReceivedAppMessage[] => received.get(userid) ?? [],
    sentCount: () => sentCount,
  };
}

export type MessageState = ReturnType<typeof createMessageState>;
