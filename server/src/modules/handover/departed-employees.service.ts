import { Op, fn, col, type WhereOptions } from 'sequelize';
import type { Models } from '../../core/db/models';
import type { Logger } from '../../core/logger';
import type { Actor } from '../access/actor';
import type { WecomRuntime } from '../wecom/wecom-runtime';
import { assertReaches, employeeByUserid, employeesByUserid, presentEmployee, reachesStore } from './handover-people';

/** Pages of get_unassigned_list read per look-up (1,000 each). */
const UNASSIGNED_PAGES = 20;
const ASSET_LIMIT = 5000;
const OPEN_ITEM = ['queued', 'submitting', 'waiting'];

interface Unassigned {
  byUser: Map<string, { externalUserids: string[]; leftAt: Date | null }>;
  /** Why WeCom could not be asked (not configured, an error): the list then shows our records only. */
  error: string | null;
}

/**
 * Employees who left: our users the directory disabled when they left WeCom, plus those WeCom lists
 * in get_unassigned_list (customers of departed members awaiting assignment).
 */
export function createDepartedEmployees(deps: { models: Models; runtime: WecomRuntime; log: Logger }) {
  const { models, runtime, log } = deps;

  async function unassigned(): Promise<Unassigned> {
    const byUser: Unassigned['byUser'] = new Map();
    try {
      const client = await runtime.client();
      if (!client) return { byUser, error: 'WECOM_NOT_CONFIGURED' };
      let pages = 0;
      for await (const info of client.transfers.unassignedListAll({ onPage: () => void (pages += 1) })) {
        const entry = byUser.get(info.handover_userid) ?? { externalUserids: [], leftAt: info.dimission_time ? new Date(info.dimission_time * 1000) : null };
        entry.externalUserids.push(info.external_userid);
        byUser.set(info.handover_userid, entry);
        if (pages >= UNASSIGNED_PAGES) break;
      }
      return { byUser, error: null };
    } catch (error) {
      log.warn({ err: error }, 'get_unassigned_list failed');
      return { byUser, error: error instanceof Error ? error.message : String(error) };
    }
  }

  async function countBy(model: typeof models.CustomerFollow | typeof models.GroupChat, column: string, where: WhereOptions) {
    const rows = (await (model as typeof models.GroupChat).findAll({ attributes: [column, [fn('COUNT', col('id')), 'count']], where, group: [column], raw: true })) as unknown as Array<Record<string, unknown>>;
    return new Map(rows.map((r) => [String(r[column]), Number(r.count)]));
  }

  return {
    /** Departed employees in the actor's scope, newest departure first, with their customers and chats counted. */
    async list(actor: Actor) {
      const users = await models.User.findAll({ where: { status: 'disabled', wecom_left_at: { [Op.ne]: null }, wecom_userid: { [Op.ne]: null } }, attributes: ['wecom_userid'], raw: true });
      const wecom = await unassigned();
      const userids = [...new Set([...users.map((u) => u.wecom_userid as string), ...wecom.byUser.keys()])];
      const employees = [...(await employeesByUserid(models, userids)).values()].filter((e) => reachesStore(actor, e.storeId) && e.status !== 'active');
      const ids = employees.map((e) => e.userid);
      const customers = ids.length ? await countBy(models.CustomerFollow, 'wecom_userid', { wecom_userid: ids, status: 'active' }) : new Map<string, number>();
      const groups = ids.length ? await countBy(models.GroupChat, 'owner_wecom_userid', { owner_wecom_userid: ids, dismissed_at: null }) : new Map<string, number>();
      const items = employees.map((e) => {
        const fromWecom = wecom.byUser.get(e.userid);
        return {
          ...presentEmployee({ ...e, leftAt: e.leftAt ?? fromWecom?.leftAt ?? null }),
          customerCount: customers.get(e.userid) ?? 0,
          groupCount: groups.get(e.userid) ?? 0,
          unassignedCount: fromWecom?.externalUserids.length ?? 0,
        };
      });
      items.sort((a, b) => (b.leftAt ?? '').localeCompare(a.leftAt ?? '') || a.userid.localeCompare(b.userid));
      return { items, wecomError: wecom.error };
    },

    /** One employee's customers (our follows, plus those WeCom still lists as unassigned) and group chats. */
    async assets(actor: Actor, userid: string) {
      const employee = await employeeByUserid(models, userid);
      assertReaches(actor, employee, 'params.userid');
      const follows = await models.CustomerFollow.findAll({ where: { wecom_userid: userid, status: 'active' }, order: [['id', 'ASC']], limit: ASSET_LIMIT, raw: true });
      const customerRows = follows.length ? await models.Customer.findAll({ where: { id: follows.map((f) => f.customer_id) }, raw: true }) : [];
      const byId = new Map(customerRows.map((c) => [Number(c.id), c]));
      const wecom = employee.status === 'active' ? { byUser: new Map(), error: null } : await unassigned();
      const known = new Set(customerRows.map((c) => c.external_userid));
      const onlyInWecom: string[] = (wecom.byUser.get(userid)?.externalUserids ?? []).filter((id: string) => !known.has(id));
      const targets = [...customerRows.map((c) => c.external_userid as string), ...onlyInWecom];
      const groups = await models.GroupChat.findAll({ where: { owner_wecom_userid: userid, dismissed_at: null }, order: [['id', 'ASC']], limit: ASSET_LIMIT, raw: true });
      const open = new Set(
        (await models.HandoverItem.findAll({ where: { target_id: [...targets, ...groups.map((g) => g.chat_id)], status: OPEN_ITEM }, attributes: ['target_id'], raw: true })).map((i) => i.target_id),
      );
      const customers = follows.flatMap((follow) => {
        const customer = byId.get(Number(follow.customer_id));
        if (!customer?.external_userid) return [];
        return [{ customerId: Number(customer.id) as number | null, externalUserid: customer.external_userid, name: customer.name, remark: follow.remark, storeId: customer.store_id === null ? null : Number(customer.store_id), addedAt: follow.added_at ? new Date(follow.added_at).toISOString() : null, inHandover: open.has(customer.external_userid) }];
      });
      for (const externalUserid of onlyInWecom) customers.push({ customerId: null, externalUserid, name: '', remark: null, storeId: null, addedAt: null, inHandover: open.has(externalUserid) });
      return {
        employee: presentEmployee(employee),
        customers,
        groups: groups.map((g) => ({ groupChatId: Number(g.id), chatId: g.chat_id, name: g.name, memberCount: Number(g.member_count), inHandover: open.has(g.chat_id) })),
        wecomError: wecom.error,
      };
    },

    /** Customers WeCom lists as unassigned for one departed employee (the default of a resigned handover). */
    async unassignedOf(userid: string): Promise<string[]> {
      return (await unassigned()).byUser.get(userid)?.externalUserids ?? [];
    },
  };
}

export type DepartedEmployees = ReturnType<typeof createDepartedEmployees>;
