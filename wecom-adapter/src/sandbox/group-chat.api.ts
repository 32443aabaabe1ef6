import { z } from 'zod';
import { fail } from './api-error';
import { type ApiFactory, decodeCursor, encodeCursor, offsetCursor, ok, parse, scopes } from './api-registry';

const listBody = z.object({
  status_filter: z.number().int().min(0).max(3).optional(),
  owner_filter: z.object({ userid_list: z.array(z.string()).max(100).optional() }).optional(),
  cursor: z.string().optional(),
  limit: z.number().int().min(1).max(1000),
});
const getBody = z.object({ chat_id: z.string(), need_name: z.number().int().optional() });

/** groupchat/list and groupchat/get. */
export const groupChatApis: ApiFactory = ({ state }) => [
  {
    path: 'externalcontact/groupchat/list',
    method: 'POST',
    apps: scopes.customer,
    handle({ body }) {
      const b = parse(listBody, body);
      const owners = b.owner_filter?.userid_list?.length ? new Set(b.owner_filter.userid_list) : undefined;
      const status = b.status_filter ?? 0;
      const all = state.chats.list().filter((c) => c.status === status && (!owners || owners.has(c.owner)));
      const start = decodeCursor(b.cursor, offsetCursor)?.o ?? 0;
      const page = all.slice(start, start + b.limit);
      const end = start + page.length;
      return ok({ group_chat_list: page.map((c) => ({ chat_id: c.chatId, status: c.status })), next_cursor: end < all.length ? encodeCursor({ o: end }) : '' });
    },
  },
  {
    path: 'externalcontact/groupchat/get',
    method: 'POST',
    apps: scopes.customer,
    handle({ body }) {
      const b = parse(getBody, body);
      const chat = state.chats.get(b.chat_id) ?? fail('CHAT_NOT_FOUND', b.chat_id);
      return ok({
        group_chat: {
          chat_id: chat.chatId,
          name: chat.name,
          owner: chat.owner,
          create_time: chat.createTime,
          notice: chat.notice,
          member_list: chat.members.map((m) => ({
            userid: m.userid,
            type: m.type,
            ...(m.unionid ? { unionid: m.unionid } : {}),
            join_time: m.joinTime,
            join_scene: m.joinScene,
            ...(m.invitor ? { invitor: { userid: m.invitor } } : {}),
            group_nickname: '',
            ...(b.need_name === 1 ? { name: m.name } : {}),
          })),
          admin_list: chat.admins.map((userid) => ({ userid })),
        },
      });
    },
  },
];
