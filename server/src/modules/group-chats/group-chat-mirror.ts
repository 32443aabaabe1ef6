import type { GroupChat } from '@scrm/wecom-adapter';
import { Op, type Transaction } from 'sequelize';
import type { Models } from '../../core/db/models';
import type { GroupChatMemberRow, GroupChatRow } from '../customers/customer-store.models';
import type { TimelineEntry, TimelineWriter } from '../customers/customer-timeline';

export interface ChatChange {
  created: boolean;
  joined: number;
  left: number;
}

const instantOf = (seconds?: number) => (seconds ? new Date(seconds * 1000) : null);

/**
 * Keeps group_chats and group_chat_members equal to groupchat/get. A chat's store is its owner's
 * store; an external member is linked to our customer by external_userid. Customers joining or
 * leaving get `group.joined` / `group.left` on their timeline, keyed by the membership (chat,
 * member, join time) so that a sync and an event seeing the same change write it once.
 */
export function createGroupChatMirror(deps: { models: Models; timeline: TimelineWriter }) {
  const { models, timeline } = deps;

  async function membershipEntries(chat: Pick<GroupChatRow, 'chat_id' | 'name'>, members: Array<Pick<GroupChatMemberRow, 'member_id' | 'joined_at' | 'customer_id'>>, kind: 'group.joined' | 'group.left', at: Date, tx: Transaction, reason?: string) {
    const linked = members.filter((m) => m.customer_id !== null);
    if (!linked.length) return 0;
    const customers = new Map((await models.Customer.findAll({ where: { id: linked.map((m) => Number(m.customer_id)) }, attributes: ['id', 'store_id'], raw: true, transaction: tx })).map((c) => [Number(c.id), c]));
    const entries: TimelineEntry[] = linked.flatMap((member) => {
      const customer = customers.get(Number(member.customer_id));
      if (!customer) return [];
      const joinedAt = member.joined_at ? new Date(member.joined_at) : null;
      return [
        {
          customerId: Number(customer.id),
          storeId: customer.store_id,
          kind,
          summary: `${kind === 'group.joined' ? '加入客户群' : '退出客户群'}：${chat.name || chat.chat_id}`,
          payload: { chatId: chat.chat_id, chatName: chat.name, ...(reason && { reason }) },
          occurredAt: kind === 'group.joined' ? (joinedAt ?? at) : at,
          dedupeKey: `${kind}:${chat.chat_id}:${member.member_id}:${joinedAt ? Math.floor(joinedAt.getTime() / 1000) : 0}`,
        },
      ];
    });
    await timeline.record(entries, tx);
    return entries.length;
  }

  return {
    /** Upserts one chat as groupchat/get answered; `status` is groupchat/list's, when known. */
    async upsert(chat: GroupChat, tx: Transaction, options: { status?: number; at?: Date } = {}): Promise<ChatChange> {
      const at = options.at ?? new Date();
      const owner = chat.owner ? await models.User.findOne({ where: { wecom_userid: chat.owner, store_id: { [Op.ne]: null } }, attributes: ['store_id'], raw: true, transaction: tx }) : null;
      const existing = await models.GroupChat.findOne({ where: { chat_id: chat.chat_id }, raw: true, transaction: tx, lock: tx.LOCK.UPDATE });
      const values = {
        name: chat.name ?? null,
        owner_wecom_userid: chat.owner ?? null,
        store_id: owner?.store_id ?? null,
        notice: chat.notice ?? null,
        wecom_status: options.status ?? existing?.wecom_status ?? 0,
        dismissed_at: null,
        member_count: chat.member_list.length,
        chat_created_at: instantOf(chat.create_time),
      };
      let chatId: number;
      if (existing) {
        chatId = Number(existing.id);
        // Always written (updated_at too): a full sync tells chats it saw from those gone from WeCom.
        await models.GroupChat.update(values, { where: { id: chatId }, transaction: tx });
      } else {
        chatId = Number((await models.GroupChat.create({ chat_id: chat.chat_id, ...values }, { transaction: tx })).get('id'));
      }

      const externalIds = chat.member_list.filter((m) => m.type === 2).map((m) => m.userid);
      const customerOf = new Map((await models.Customer.findAll({ where: { external_userid: externalIds }, attributes: ['id', 'external_userid'], raw: true, transaction: tx })).map((c) => [c.external_userid, Number(c.id)]));
      const current = await models.GroupChatMember.findAll({ where: { group_chat_id: chatId }, raw: true, transaction: tx });
      const byMember = new Map(current.map((m) => [m.member_id, m]));
      const joined: GroupChatMemberRow[] = [];
      for (const member of chat.member_list) {
        const row = {
          member_type: member.type,
          customer_id: member.type === 2 ? (customerOf.get(member.userid) ?? null) : null,
          name: member.name?.slice(0, 128) ?? null,
          group_nickname: member.group_nickname?.slice(0, 128) || null,
          unionid: member.unionid ?? null,
          join_scene: member.join_scene ?? null,
          invitor_userid: member.invitor?.userid ?? null,
          joined_at: instantOf(member.join_time),
        };
        const found = byMember.get(member.userid);
        if (!found) {
          const created = await models.GroupChatMember.create({ group_chat_id: chatId, member_id: member.userid, ...row }, { transaction: tx });
          joined.push(created.get({ plain: true }));
        } else {
          const changed = (Object.keys(row) as Array<keyof typeof row>).some((key) => String(found[key] instanceof Date ? (found[key] as Date).getTime() : found[key]) !== String(row[key] instanceof Date ? (row[key] as Date).getTime() : row[key]));
          if (changed) await models.GroupChatMember.update(row, { where: { id: found.id }, transaction: tx });
          // A customer linked since the last look has joined as far as their timeline knows.
          if (row.customer_id !== null) joined.push({ ...found, ...row });
        }
      }
      const present = new Set(chat.member_list.map((m) => m.userid));
      const gone = current.filter((m) => !present.has(m.member_id));
      if (gone.length) await models.GroupChatMember.destroy({ where: { id: gone.map((m) => Number(m.id)) }, transaction: tx });
      const named = { chat_id: chat.chat_id, name: values.name };
      return {
        created: !existing,
        joined: await membershipEntries(named, joined, 'group.joined', at, tx),
        left: await membershipEntries(named, gone, 'group.left', at, tx),
      };
    },

    /** The chat was dismissed (or is gone from WeCom): it keeps its row, its members leave. */
    async dismiss(chatId: string, tx: Transaction, at = new Date()): Promise<number> {
      const chat = await models.GroupChat.findOne({ where: { chat_id: chatId }, raw: true, transaction: tx, lock: tx.LOCK.UPDATE });
      if (!chat) return 0;
      if (!chat.dismissed_at) await models.GroupChat.update({ dismissed_at: at }, { where: { id: chat.id }, transaction: tx });
      const members = await models.GroupChatMember.findAll({ where: { group_chat_id: chat.id }, raw: true, transaction: tx });
      if (!members.length) return 0;
      await models.GroupChatMember.destroy({ where: { group_chat_id: chat.id }, transaction: tx });
      return membershipEntries(chat, members, 'group.left', at, tx, 'dismissed');
    },
  };
}

export type GroupChatMirror = ReturnType<typeof createGroupChatMirror>;
