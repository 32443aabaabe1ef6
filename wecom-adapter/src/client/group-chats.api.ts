import {
  type GroupChatGetResponse,
  type GroupChatListRequest,
  type GroupChatListResponse,
  type GroupChatRef,
} from './group-chats.types';
import { type PageOptions, paginate } from './paginate';
import { type WecomCall } from './request-runner';

/** Customer group chat calls use the customer app's token. */
export function createGroupChatsApi(call: WecomCall) {
  const app = 'customer' as const;
  const list = async (req: GroupChatListRequest) => {
    const res = await call<GroupChatListResponse>({ app, api: 'externalcontact/groupchat/list', method: 'POST', body: req });
    return { ...res, group_chat_list: res.group_chat_list ?? [], next_cursor: res.next_cursor ?? '' };
  };

  return {
    /** groupchat/list: one page of chat ids. */
    list,
    /** Every chat id matching the filters, following next_cursor. */
    listAll(filter: Omit<GroupChatListRequest, 'cursor' | 'limit'> & { limit?: number } = {}, options: PageOptions<GroupChatRef> = {}) {
      return paginate(async (cursor) => {
        const res = await list({ ...filter, cursor, limit: filter.limit ?? 1000 });
        return { items: res.group_chat_list, nextCursor: res.next_cursor };
      }, options);
    },
    /** groupchat/get: one chat with members and admins (`need_name` 1 to get member names). */
    async get(chatId: string, needName = true) {
      const body = { chat_id: chatId, need_name: needName ? 1 : 0 };
      const res = await call<GroupChatGetResponse>({ app, api: 'externalcontact/groupchat/get', method: 'POST', body });
      const chat = res.group_chat;
      return { ...res, group_chat: { ...chat, member_list: chat?.member_list ?? [], admin_list: chat?.admin_list ?? [] } };
    },
  };
}

export type GroupChatsApi = ReturnType<typeof createGroupChatsApi>;
