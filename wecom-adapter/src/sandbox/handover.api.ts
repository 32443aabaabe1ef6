import { z } from 'zod';
import { fail } from './api-error';
import { type ApiDefinition, type ApiFactory, decodeCursor, encodeCursor, offsetCursor, ok, parse, scopes } from './api-registry';

const groupTransferBody = z.object({ chat_id_list: z.array(z.string()).min(1).max(100), new_owner: z.string() });
const unassignedBody = z.object({ cursor: z.string().optional(), page_size: z.number().int().min(1).max(1000).optional() });

/** Per-chat failures WeCom reports in failed_chat_list. */
const chatErrors = {
  notFound: [701008, 'invalid chat_id'],
  ownerNotResigned: [90500, 'the owner of this chat is not resigned'],
  ownerResigned: [90502, 'the owner of this chat has resigned'],
  ownerUnchanged: [90504, 'the owner of this chat is not changed'],
  alreadyInherited: [90508, 'the chat of the resigned owner has been inherited'],
} as const;

/**
 * 离职 / 在职继承 of customer group chats (groupchat/transfer, groupchat/onjob_transfer: the new owner
 * takes over at once and change_external_chat change_owner is pushed) and get_unassigned_list (the
 * customers of members who left that no transfer is waiting for).
 */
export const handoverApis: ApiFactory = ({ state, push }) => {
  const groupTransfer = (kind: 'resigned' | 'in-service', path: string): ApiDefinition => ({
    path,
    method: 'POST',
    apps: scopes.customer,
    handle({ body }) {
      const b = parse(groupTransferBody, body);
      if (!state.directory.activeEmployee(b.new_owner)) fail('USER_NOT_FOUND', b.new_owner);
      const failed: { chat_id: string; errcode: number; errmsg: string }[] = [];
      const reject = (chatId: string, [errcode, errmsg]: readonly [number, string]) => failed.push({ chat_id: chatId, errcode, errmsg });
      for (const chatId of b.chat_id_list) {
        const chat = state.chats.get(chatId);
        if (!chat) {
          reject(chatId, chatErrors.notFound);
          continue;
        }
        const ownerLeft = !state.directory.activeEmployee(chat.owner);
        if (kind === 'resigned' && chat.status === 3 && !ownerLeft) reject(chatId, chatErrors.alreadyInherited);
        else if (kind === 'resigned' && !ownerLeft) reject(chatId, chatErrors.ownerNotResigned);
        else if (kind === 'in-service' && ownerLeft) reject(chatId, chatErrors.ownerResigned);
        else if (chat.owner === b.new_owner) reject(chatId, chatErrors.ownerUnchanged);
        else {
          chat.owner = b.new_owner;
          chat.status = kind === 'resigned' ? 3 : 0;
          if (!chat.members.some((m) => m.userid === b.new_owner)) {
            const name = state.directory.employees.get(b.new_owner)?.name ?? b.new_owner;
            chat.members.push({ userid: b.new_owner, type: 1, joinTime: state.now(), joinScene: 0, name });
          }
          push({ event: 'change_external_chat', changeType: 'update', fields: [['ChatId', chat.chatId], ['UpdateDetail', 'change_owner']] });
        }
      }
      return ok({ failed_chat_list: failed });
    },
  });

  const unassigned: ApiDefinition = {
    path: 'externalcontact/get_unassigned_list',
    method: 'POST',
    apps: scopes.customer,
    handle({ body }) {
      const b = parse(unassignedBody, body);
      const waiting = new Set(state.transfers.transfers.filter((t) => t.kind === 'resigned' && !t.settled).map((t) => `${t.handoverUserid}\n${t.externalUserid}`));
      const all = [...state.directory.employees.values()]
        .filter((e) => e.status === 5)
        .flatMap((e) =>
          state.customers
            .idsOf(e.userid)
            .filter((id) => !waiting.has(`${e.userid}\n${id}`))
            .map((id) => ({ handover_userid: e.userid, external_userid: id, dimission_time: e.leftAt ?? 0 })),
        );
      const from = decodeCursor(b.cursor, offsetCursor)?.o ?? 0;
      const page = all.slice(from, from + (b.page_size ?? 1000));
      const end = from + page.length;
      return ok({ info: page, is_last: end >= all.length, next_cursor: end < all.length ? encodeCursor({ o: end }) : '' });
    },
  };

  return [groupTransfer('resigned', 'externalcontact/groupchat/transfer'), groupTransfer('in-service', 'externalcontact/groupchat/onjob_transfer'), unassigned];
};
