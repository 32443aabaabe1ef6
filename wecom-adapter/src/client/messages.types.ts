/** App messages (message/send, DOC 90236) and customer mass / welcome messages, PROTOCOL §4.4. */

interface AppMessageTarget {
  /** Up to 1000 ids joined by `|`, or `@all`. */
  touser?: string;
  /** Up to 100 department ids joined by `|`. */
  toparty?: string;
  totag?: string;
  /** Defaults to the client's `agentId`. */
  agentid?: number;
  safe?: 0 | 1 | 2;
  enable_id_trans?: 0 | 1;
  enable_duplicate_check?: 0 | 1;
  duplicate_check_interval?: number;
}

export interface NewsArticle {
  title: string;
  description?: string;
  url?: string;
  picurl?: string;
  appid?: string;
  pagepath?: string;
}

/** template_card is large and versioned; typed by its discriminator, the rest passes through. */
export interface TemplateCard {
  card_type: 'text_notice' | 'news_notice' | 'button_interaction' | 'vote_interaction' | 'multiple_interaction';
  task_id?: string;
  [field: string]: unknown;
}

export type AppMessageContent =
  | { msgtype: 'text'; text: { content: string } }
  | { msgtype: 'markdown'; markdown: { content: string } }
  | { msgtype: 'image'; image: { media_id: string } }
  | { msgtype: 'voice'; voice: { media_id: string } }
  | { msgtype: 'file'; file: { media_id: string } }
  | { msgtype: 'video'; video: { media_id: string; title?: string; description?: string } }
  | { msgtype: 'textcard'; textcard: { title: string; description: string; url: string; btntxt?: string } }
  | { msgtype: 'news'; news: { articles: NewsArticle[] } }
  | { msgtype: 'mpnews'; mpnews: { articles: Record<string, unknown>[] } }
  | { msgtype: 'miniprogram_notice'; miniprogram_notice: Record<string, unknown> }
  | { msgtype: 'template_card'; template_card: TemplateCard };

export type AppMessage = AppMessageTarget & AppMessageContent;

export interface SendAppMessageResponse {
  invaliduser?: string;
  invalidparty?: string;
  invalidtag?: string;
  unlicenseduser?: string;
  msgid?: string;
  /** For /message/update_template_card. */
  response_code?: string;
}

export type Attachment =
  | { msgtype: 'image'; image: { media_id?: string; pic_url?: string } }
  | { msgtype: 'link'; link: { title: string; picurl?: string; desc?: string; url: string } }
  | { msgtype: 'miniprogram'; miniprogram: { title: string; pic_media_id: string; appid: string; page: string } }
  | { msgtype: 'video'; video: { media_id: string } }
  | { msgtype: 'file'; file: { media_id: string } };

export interface AddMsgTemplateRequest {
  chat_type?: 'single' | 'group';
  /** At most 10,000. */
  external_userid?: string[];
  chat_id_list?: string[];
  tag_filter?: { group_list: { tag_list: string[] }[] };
  sender?: string;
  allow_select?: boolean;
  text?: { content: string };
  /** At most 9. */
  attachments?: Attachment[];
}

export interface AddMsgTemplateResponse {
  fail_list?: string[];
  msgid: string;
}

/** NOT in PROTOCOL: shape from WeCom's get_groupmsg_send_result doc (DOC 93338), not re-checked. */
export interface GroupMsgSendResultRequest {
  msgid: string;
  userid: string;
  limit?: number;
  cursor?: string;
}

export interface GroupMsgSendResult {
  external_userid?: string;
  chat_id?: string;
  userid?: string;
  /** 0 not sent, 1 sent, 2 not a friend, 3 receive cap reached. */
  status?: number;
  send_time?: number;
}

export interface GroupMsgSendResultResponse {
  send_list: GroupMsgSendResult[];
  next_cursor?: string;
}

export interface SendWelcomeMsgRequest {
  /** From the add_external_contact event; valid 20 s, once. */
  welcome_code: string;
  text?: { content: string };
  attachments?: Attachment[];
}
