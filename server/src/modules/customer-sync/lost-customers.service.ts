import { literal, Op, type WhereOptions } from 'sequelize';
import type { Database } from '../../core/db/database';
import { findPage } from '../../core/db/find-page';
import type { Models } from '../../core/db/models';
import type { Actor } from '../access/actor';
import { withinScope } from '../access/data-scope';
import { customerScope } from '../customers/customer.model';
import { orgNamesOf } from '../org/org-names';

export const lostStatuses = ['deleted_by_customer', 'deleted_by_employee', 'transferred'] as const;

export interface LostFilter {
  storeId?: number;
  /** The employee, by WeCom userid. */
  wecomUserid?: string;
  reason?: (typeof lostStatuses)[number];
  from?: Date;
  to?: Date;
}

const iso = (value: Date | string | null) => (value ? new Date(value).toISOString() : null);

/** Lost follow relations of the customers in the caller's scope, newest loss first, with their alerts. */
export function createLostCustomersService(deps: { db: Database; models: Models }) {
  const { db, models } = deps;

  /** `customer_id IN (SELECT id FROM customers WHERE <scope and filter>)`: the scope is the customers'. */
  function scopedCustomerIds(actor: Actor, filter: LostFilter) {
    const where = withinScope(actor, customerScope, filter.storeId ? { store_id: filter.storeId } : {});
    const generator = db.sequelize.getQueryInterface().queryGenerator as unknown as { selectQuery(table: string, options: object, model: unknown): string };
    return literal(`(${generator.selectQuery('customers', { attributes: ['id'], where }, models.Customer).replace(/;\s*$/, '')})`);
  }

  return {
    async list(actor: Actor, filter: LostFilter, range: { offset: number; limit: number }) {
      const where: WhereOptions = {
        status: filter.reason ?? { [Op.in]: [...lostStatuses] },
        customer_id: { [Op.in]: scopedCustomerIds(actor, filter) },
        ...(filter.wecomUserid && { wecom_userid: filter.wecomUserid }),
        ...((filter.from || filter.to) && { lost_at: { ...(filter.from && { [Op.gte]: filter.from }), ...(filter.to && { [Op.lt]: filter.to }) } }),
      };
      const { rows, count } = await findPage(models.CustomerFollow, { where, order: [['lost_at', 'DESC'], ['id', 'DESC']], offset: range.offset, limit: range.limit, raw: true });
      const customerIds = [...new Set(rows.map((r) => Number(r.customer_id)))];
      const customers = new Map((await models.Customer.findAll({ where: { id: customerIds }, attributes: ['id', 'name', 'store_id', 'status', 'external_userid'], raw: true })).map((c) => [Number(c.id), c]));
      const stores = await orgNamesOf(models).stores([...customers.values()].map((c) => c.store_id));
      const employees = new Map(
        (await models.User.findAll({ where: { wecom_userid: [...new Set(rows.map((r) => r.wecom_userid))] }, attributes: ['wecom_userid', 'display_name'], raw: true })).map((u) => [String(u.wecom_userid), u.display_name]),
      );
      const alerts = new Map<number, { status: string; sentAt: string | null; recipients: string[] }>();
      for (const a of await models.LossAlert.findAll({ where: { follow_id: rows.map((r) => Number(r.id)) }, order: [['id', 'ASC']], raw: true })) {
        alerts.set(Number(a.follow_id), { status: a.status, sentAt: iso(a.sent_at), recipients: a.recipients ? (JSON.parse(a.recipients) as string[]) : [] });
      }
      const items = rows.map((r) => {
        const customer = customers.get(Number(r.customer_id));
        const storeId = customer?.store_id === null || customer?.store_id === undefined ? null : Number(customer.store_id);
        return {
          followId: Number(r.id),
          customerId: Number(r.customer_id),
          customerName: customer?.name ?? '',
          customerStatus: customer?.status ?? 'active',
          externalUserid: customer?.external_userid ?? null,
          storeId,
          storeName: storeId === null ? null : (stores.get(storeId) ?? null),
          wecomUserid: r.wecom_userid,
          employeeName: employees.get(r.wecom_userid) ?? null,
          remark: r.remark,
          reason: r.status,
          lostReason: r.lost_reason,
          lostAt: iso(r.lost_at),
          addedAt: iso(r.added_at),
          alert: alerts.get(Number(r.id)) ?? null,
        };
      });
      return { items, total: count };
    },
  };
}

export type LostCustomersService = ReturnType<typeof createLostCustomersService>;
