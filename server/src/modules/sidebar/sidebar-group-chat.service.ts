import { Op } from 'sequelize';
import type { Models } from '../../core/db/models';
import { notFound } from '../../core/errors';
import type { Actor } from '../access/actor';
import { scopedQuery } from '../access/scoped-query';
import { customerScope } from '../customers/customer.model';
import type { GroupChatRow } from '../customers/customer-store.models';

export interface SidebarGroupMember {
  memberId: string;
  /** 1 employee, 2 external contact. */
  memberType: number;
  name: string;
  joinedAt: string | null;
  /** The member as one of our customers, when they are one and within the caller's scope. */
  customer: { id: number; name: string; externalUserId: string } | null;
}

export interface SidebarGroupChat {
  id: number;
  chatId: string;
  name: string;
  ownerWecomUserid: string | null;
  storeId: number | null;
  notice: string | null;
  memberCount: number;
  customerCount: number;
  dismissed: boolean;
  members: SidebarGroupMember[];
}

/** The current group chat for the sidebar's group mode: who is in it and which members are customers. */
export function createSidebarGroupChatService(deps: { models: Models }) {
  const { models } = deps;
  const groups = scopedQuery<GroupChatRow>(models.GroupChat, { store: 'store_id' }, 'group chat');
  const customers = scopedQuery(models.Customer, customerScope, 'customer');

  return {
    async byChatId(actor: Actor, chatId: string): Promise<SidebarGroupChat> {
      const [group] = await groups.all(actor, { chat_id: chatId }, [['id', 'ASC']], 1);
      if (!group) throw notFound('group chat', chatId);
      const members = await models.GroupChatMember.findAll({ where: { group_chat_id: group.id }, order: [['id', 'ASC']], raw: true });
      // linked by the group sync, or else matched by the member's external_userid
      const customerIds = members.map((m) => m.customer_id).filter((id): id is number => id !== null);
      const externalIds = members.filter((m) => Number(m.member_type) === 2).map((m) => m.member_id);
      const visible = externalIds.length || customerIds.length ? await customers.all(actor, { [Op.or]: [{ id: { [Op.in]: customerIds } }, { external_userid: { [Op.in]: externalIds } }] }) : [];
      const byId = new Map(visible.map((c) => [Number(c.id), c]));
      const byExternal = new Map(visible.filter((c) => c.external_userid).map((c) => [c.external_userid ?? '', c]));
      return {
        id: Number(group.id),
        chatId: group.chat_id,
        name: group.name ?? '',
        ownerWecomUserid: group.owner_wecom_userid,
        storeId: group.store_id === null ? null : Number(group.store_id),
        notice: group.notice,
        memberCount: members.length,
        customerCount: members.filter((m) => Number(m.member_type) === 2).length,
        dismissed: group.dismissed_at !== null,
        members: members.map((m) => {
          const customer = (m.customer_id === null ? undefined : byId.get(Number(m.customer_id))) ?? (Number(m.member_type) === 2 ? byExternal.get(m.member_id) : undefined);
          return {
            memberId: m.member_id,
            memberType: Number(m.member_type),
            name: m.group_nickname || m.name || (customer?.name ?? ''),
            joinedAt: m.joined_at ? new Date(m.joined_at).toISOString() : null,
            customer: customer ? { id: Number(customer.id), name: customer.name, externalUserId: customer.external_userid ?? m.member_id } : null,
          };
        }),
      };
    },
  };
}

export type SidebarGroupChatService = ReturnType<typeof createSidebarGroupChatService>;
