import { Op } from 'sequelize';
import { findPage } from '../../core/db/find-page';
import type { Models } from '../../core/db/models';
import { pageOf, toOffset, type Page, type PageQuery } from '../../core/http/pagination';
import { can, type Actor } from '../access/actor';
import { scopedCustomers } from '../customers/customer-360.deps';
import type { ArchiveSettings } from './archive-settings.service';
import { presentHit, type ArchiveHit } from './archive-search.service';

export type ConsentState = 'agreed' | 'disagreed' | 'unknown';

export interface CustomerConversations extends Page<ArchiveHit> {
  consent: ConsentState;
  /** False when the corp requires consent and this customer has not agreed: nothing is shown. */
  visible: boolean;
}

export interface RecentConversation {
  items: ArchiveHit[];
  consent: ConsentState;
  visible: boolean;
}

/** One customer's archived conversations (one-to-one and the groups they are in), newest first. */
export function createArchiveConversations(deps: { models: Models; settings: ArchiveSettings }) {
  const { models, settings } = deps;
  const customers = scopedCustomers(models);

  async function consentOf(externalUserid: string | null): Promise<ConsentState> {
    if (!externalUserid) return 'unknown';
    const row = await models.ArchiveConsent.findOne({ where: { external_userid: externalUserid }, attributes: ['status'], raw: true });
    return row?.status ?? 'unknown';
  }

  /** A customer's one-to-one messages: linked at ingest, or stored before the customer was synced (by external id). */
  const ownMessages = (customerId: number, externalUserid: string | null) => [{ customer_id: customerId }, ...(externalUserid ? [{ external_userid: externalUserid }] : [])];

  async function roomsOf(customerId: number, externalUserid: string | null): Promise<string[]> {
    const memberWhere = externalUserid ? { [Op.or]: [{ customer_id: customerId }, { member_type: 2, member_id: externalUserid }] } : { customer_id: customerId };
    const members = await models.GroupChatMember.findAll({ where: memberWhere, attributes: ['group_chat_id'], raw: true });
    if (!members.length) return [];
    const chats = await models.GroupChat.findAll({ where: { id: [...new Set(members.map((m) => Number(m.group_chat_id)))] }, attributes: ['chat_id'], raw: true });
    return chats.map((c) => c.chat_id);
  }

  return {
    /**
     * The sidebar's view: the latest one-to-one messages with this customer, oldest first. Those with
     * `archive:read` see every employee's; others only their own conversation with the customer.
     */
    async recentWith(actor: Actor, customerId: number, limit: number): Promise<RecentConversation> {
      const customer = await customers.byId(actor, customerId);
      const consent = await consentOf(customer.external_userid);
      if ((await settings.effective()).consentRequired && consent !== 'agreed') return { items: [], consent, visible: false };
      const employee = can(actor, 'archive:read') ? null : ((await models.User.findByPk(actor.userId, { attributes: ['wecom_userid'], raw: true }))?.wecom_userid ?? '');
      if (employee === '') return { items: [], consent, visible: true };
      const where = { status: 'stored' as const, room_id: null, [Op.or]: ownMessages(customerId, customer.external_userid), ...(employee ? { employee_userid: employee } : {}) };
      const rows = await models.ArchiveMessage.findAll({ where, attributes: { exclude: ['payload', 'encrypt_random_key', 'encrypt_chat_msg'] }, order: [['msg_time', 'DESC'], ['id', 'DESC']], limit, raw: true });
      return { items: rows.reverse().map(presentHit), consent, visible: true };
    },

    /** Another store's customer is reported exactly like a missing one (404). */
    async forCustomer(actor: Actor, customerId: number, query: PageQuery): Promise<CustomerConversations> {
      const customer = await customers.byId(actor, customerId);
      const consent = await consentOf(customer.external_userid);
      if ((await settings.effective()).consentRequired && consent !== 'agreed') return { ...pageOf([], 0, query), consent, visible: false };
      const rooms = await roomsOf(customerId, customer.external_userid);
      const where = { status: 'stored' as const, [Op.or]: [...ownMessages(customerId, customer.external_userid), ...(rooms.length ? [{ room_id: rooms }] : [])] };
      const { rows, count } = await findPage(models.ArchiveMessage, { where, order: [['msg_time', 'DESC'], ['id', 'DESC']], ...toOffset(query), raw: true });
      return { ...pageOf(rows.map(presentHit), count, query), consent, visible: true };
    },
  };
}
