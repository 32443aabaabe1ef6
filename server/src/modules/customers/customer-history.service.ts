import { Op, type WhereOptions } from 'sequelize';
import { findPage } from '../../core/db/find-page';
import type { Actor } from '../access/actor';
import { orgNamesOf } from '../org/org-names';
import { iso, scopedCustomers, toId, userNamesByWecomId, type Customer360Deps } from './customer-360.deps';

function parsePayload(raw: string | null): Record<string, unknown> | null {
  if (!raw) return null;
  try {
    const value: unknown = JSON.parse(raw);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : { value };
  } catch {
    return null;
  }
}

/** Reads a customer's timeline: everything that happened to them, newest first. */
export function createCustomerHistoryService(deps: Pick<Customer360Deps, 'models'>) {
  const { models } = deps;
  const customers = scopedCustomers(models);

  return {
    async page(actor: Actor, customerId: number, filter: { kind?: string }, range: { offset: number; limit: number }) {
      await customers.byId(actor, customerId);
      const where: WhereOptions = { customer_id: customerId, ...(filter.kind && { kind: { [Op.like]: `${filter.kind}%` } }) };
      const { rows, count } = await findPage(models.CustomerTimeline, { where, order: [['occurred_at', 'DESC'], ['id', 'DESC']], ...range, raw: true });
      const actors = await orgNamesOf(models).users(rows.map((r) => toId(r.actor_user_id)));
      const employees = await userNamesByWecomId(models, rows.map((r) => r.wecom_userid));
      const items = rows.map((r) => ({
        id: Number(r.id),
        kind: r.kind,
        summary: r.summary,
        actorUserId: toId(r.actor_user_id),
        actorName: (r.actor_user_id !== null ? actors.get(Number(r.actor_user_id)) : undefined) ?? (r.wecom_userid ? (employees.get(r.wecom_userid)?.name ?? r.wecom_userid) : null),
        wecomUserid: r.wecom_userid,
        payload: parsePayload(r.payload),
        occurredAt: iso(r.occurred_at) as string,
      }));
      return { items, total: count };
    },
  };
}

export type CustomerHistoryService = ReturnType<typeof createCustomerHistoryService>;
