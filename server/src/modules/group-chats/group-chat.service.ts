import { Op, type WhereOptions } from 'sequelize';
import type { Services } from '../../app';
import type { Actor } from '../access/actor';
import { scopedQuery } from '../access/scoped-query';
import { customerScope, type CustomerRow } from '../customers/customer.model';
import type { GroupChatMemberRow, GroupChatRow } from '../customers/customer-store.models';
import type { GroupChatQuery } from './group-chat.schemas';
import { orgNamesOf } from '../org/org-names';

type Deps = Pick<Services, 'models'>;

const iso = (value: Date | null) => (value ? new Date(value).toISOString() : null);

/** Customer group chats as synced from WeCom; a chat belongs to its owner's store. */
export function createGroupChatService(deps: Deps) {
  const { models } = deps;
  const chats = scopedQuery<GroupChatRow>(models.GroupChat, { store: 'store_id' }, 'group chat');
  const customers = scopedQuery<CustomerRow>(models.Customer, customerScope, 'customer');

  async function present(rows: GroupChatRow[]) {
    const owners = [...new Set(rows.flatMap((r) => (r.owner_wecom_userid ? [r.owner_wecom_userid] : [])))];
    const ownerNames = new Map((await models.User.findAll({ where: { wecom_userid: owners }, attributes: ['wecom_userid', 'display_name'], raw: true })).map((u) => [u.wecom_userid, u.display_name]));
    const storeNames = await orgNamesOf(models).stores(rows.map((r) => r.store_id));
    return rows.map((row) => ({
      id: Number(row.id),
      chatId: row.chat_id,
      name: row.name,
      ownerWecomUserid: row.owner_wecom_userid,
      ownerName: (row.owner_wecom_userid && ownerNames.get(row.owner_wecom_userid)) || null,
      storeId: row.store_id === null ? null : Number(row.store_id),
      storeName: row.store_id === null ? null : (storeNames.get(Number(row.store_id)) ?? null),
      notice: row.notice,
      wecomStatus: Number(row.wecom_status),
      memberCount: Number(row.member_count),
      chatCreatedAt: iso(row.chat_created_at),
      dismissedAt: iso(row.dismissed_at),
    }));
  }

  const presentMember = (m: GroupChatMemberRow) => ({
    memberId: m.member_id,
    type: Number(m.member_type),
    name: m.name,
    groupNickname: m.group_nickname,
    customerId: m.customer_id === null ? null : Number(m.customer_id),
    joinScene: m.join_scene === null ? null : Number(m.join_scene),
    invitorUserid: m.invitor_userid,
    joinedAt: iso(m.joined_at),
  });

  return {
    async list(actor: Actor, query: GroupChatQuery, range: { offset: number; limit: number }) {
      const where: WhereOptions = {
        ...(query.owner && { owner_wecom_userid: query.owner }),
        ...(query.name && { name: { [Op.like]: `%${query.name.replace(/[\\%_]/g, (c) => `\\${c}`)}%` } }),
        ...(query.status === 'active' && { dismissed_at: null }),
        ...(query.status === 'dismissed' && { dismissed_at: { [Op.ne]: null } }),
        ...(query.storeId && { store_id: query.storeId }),
      };
      const { rows, total } = await chats.page(actor, where, range);
      return { items: await present(rows), total };
    },

    async get(actor: Actor, id: number) {
      const [chat] = await present([await chats.byId(actor, id)]);
      const members = await models.GroupChatMember.findAll({ where: { group_chat_id: id }, order: [['member_type', 'ASC'], ['joined_at', 'ASC'], ['id', 'ASC']], raw: true });
      return { ...chat!, members: members.map(presentMember) };
    },

    /** The live chats a customer (in scope) is a member of. */
    async ofCustomer(actor: Actor, customerId: number) {
      const customer = await customers.byId(actor, customerId);
      const memberships = await models.GroupChatMember.findAll({
        where: { [Op.or]: [{ customer_id: customerId }, ...(customer.external_userid ? [{ member_id: customer.external_userid }] : [])] },
        raw: true,
      });
      const joinedAt = new Map(memberships.map((m) => [Number(m.group_chat_id), iso(m.joined_at)]));
      const rows = await models.GroupChat.findAll({ where: { id: [...joinedAt.keys()], dismissed_at: null }, order: [['id', 'DESC']], raw: true });
      return (await present(rows)).map((chat) => ({ ...chat, joinedAt: joinedAt.get(chat.id) ?? null }));
    },
  };
}

export type GroupChatService = ReturnType<typeof createGroupChatService>;
