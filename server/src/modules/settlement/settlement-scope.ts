import { Op, type Transaction, type WhereOptions } from 'sequelize';
import type { Models } from '../../core/db/models';
import { notFound } from '../../core/errors';
import type { Actor } from '../access/actor';
import { scopeWhere } from '../access/data-scope';

/**
 * Who sees which payees, in one place: `self` sees their own technician payee; `store` the payees of
 * their store (the store and its technicians); `region` those of their region's stores plus the
 * region's dealers; `all` every payee. Lines, statements, reports and exports filter by these payees.
 */
const payeeColumns = { store: 'store_id', region: 'region_id', owner: 'user_id' } as const;

export const payeeScope = (actor: Actor): WhereOptions => scopeWhere(actor, payeeColumns);

export function createSettlementScope(models: Models) {
  return {
    where: (actor: Actor, where: WhereOptions = {}): WhereOptions => ({ [Op.and]: [payeeScope(actor), where] }),

    /** The ids of the payees the actor may see; null means every payee. */
    async payeeIds(actor: Actor, tx?: Transaction): Promise<number[] | null> {
      if (actor.dataScope === 'all') return null;
      const rows = await models.Payee.findAll({ where: payeeScope(actor), attributes: ['id'], raw: true, transaction: tx });
      return rows.map((r) => Number(r.id));
    },

    /** A payee outside the actor's scope is reported exactly like a missing one. */
    async assertPayee(actor: Actor, payeeId: number, tx?: Transaction): Promise<void> {
      const found = await models.Payee.count({ where: { [Op.and]: [payeeScope(actor), { id: payeeId }] }, transaction: tx });
      if (!found) throw notFound('payee', payeeId);
    },
  };
}

export type SettlementScope = ReturnType<typeof createSettlementScope>;
