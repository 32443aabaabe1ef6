import { z } from 'zod';
import { fail } from './api-error';
import { type ApiFactory, decodeCursor, encodeCursor, offsetCursor, ok, parse, scopes } from './api-registry';

const resultBody = z.object({
  msgid: z.string().min(1),
  userid: z.string().min(1),
  limit: z.number().int().min(1).max(1000).optional(),
  cursor: z.string().optional(),
});

/**
 * externalcontact/get_groupmsg_send_result (DOC 93338): one sender's outcome per customer of a
 * group-send task, paged by cursor. status 0 未发送, 1 已发送, 2 客户不是好友, 3 客户已收到其他群发消息.
 */
export const groupMsgApis: ApiFactory = ({ state }) => [
  {
    path: 'externalcontact/get_groupmsg_send_result',
    method: 'POST',
    apps: scopes.customer,
    handle({ body }) {
      const b = parse(resultBody, body);
      const template = state.messages.templates.find((t) => t.msgid === b.msgid) ?? fail('INVALID_PARAMETER', `invalid msgid ${b.msgid}`);
      const rows = template.sender === undefined || template.sender === b.userid ? Object.entries(template.results) : [];
      const from = decodeCursor(b.cursor, offsetCursor)?.o ?? 0;
      const limit = b.limit ?? 500;
      const page = rows.slice(from, from + limit);
      const sendList = page.map(([externalUserid, r]) => ({ external_userid: externalUserid, userid: b.userid, status: r.status, ...(r.sendTime !== undefined && { send_time: r.sendTime }) }));
      return ok({ send_list: sendList, next_cursor: from + limit < rows.length ? encodeCursor({ o: from + limit }) : '' });
    },
  },
];
