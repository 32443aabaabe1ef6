/** Customer group chats (客户群), PROTOCOL §4.4. */

/** 0 normal, 1 owner left, 2 inheritance in progress, 3 inheritance done. */
export type GroupChatStatus = 0 | 1 | 2 | 3;

export interface GroupChatListRequest {
  status_filter?: GroupChatStatus;
  owner_filter?: { userid_list: string[] };
  cursor?: string;
  /** 1..1000. */
  limit: number;
}

export interface GroupChatRef {
  chat_id: string;
  status?: number;
}

export interface GroupChatListResponse {
  group_chat_list: GroupChatRef[];
  next_cursor: string;
}

export interface GroupChatMember {
  userid: string;
  /** 1 corp member, 2 external contact. */
  type: number;
  unionid?: string;
  join_time?: number;
  join_scene?: number;
  invitor?: { userid: string };
  group_nickname?: string;
  name?: string;
}

export interface GroupChat {
  chat_id: string;
  name?: string;
  owner?: string;
  create_time?: number;
  notice?: string;
  member_list: GroupChatMember[];
  admin_list: { userid: string }[];
}

export interface GroupChatGetResponse {
  group_chat: GroupChat;
}
