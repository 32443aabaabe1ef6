import { Op, type Transaction, type WhereOptions } from 'sequelize';
import type { Models } from '../../core/db/models';
import { selectRows, type SelectOptions } from '../../core/db/raw-rows';
import { notFound } from '../../core/errors';
import type { Actor } from '../access/actor';
import { scopeWhere } from '../access/data-scope';
import { workOrderScope, type WorkOrderRow } from './work-order.models';

/**
 * The orders an actor may see: their data scope over the order's store and assignee, and for a
 * technician (`self`) also the tasks waiting in their store's pool for their role, so they can claim them.
 */
export function visibleOrders(actor: Actor): WhereOptions {
  const base = scopeWhere(actor, workOrderScope);
  if (actor.dataScope === 'self' && actor.storeId !== null) {
    return { [Op.or]: [base, { store_id: actor.storeId, assignee_user_id: null, pool_role_code: actor.roleCode, status: ['open', 'waiting_customer', 'waiting_parts'] }] };
  }
  return base;
}

export const withinOrderScope = (actor: Actor, where: WhereOptions = {}): WhereOptions => ({ [Op.and]: [visibleOrders(actor), where] });

/** One order by id (locked for the transaction with `lock`); an order outside the caller's scope is reported exactly like a missing one. */
export async function orderInScope(models: Models, actor: Actor, id: number, tx?: Transaction, options: Pick<SelectOptions<WorkOrderRow>, 'lock'> = {}): Promise<WorkOrderRow> {
  const [row] = await selectRows(models.WorkOrder, withinOrderScope(actor, { id }), tx, options);
  if (!row) throw notFound('work order', id);
  return row;
}

/**
 * The order a claim names: visible, or (for a technician) any order of their own store, so that a
 * task someone else claimed first answers 409 "already taken" rather than 404.
 */
export async function claimableOrder(models: Models, actor: Actor, id: number, tx?: Transaction): Promise<WorkOrderRow> {
  const scope = actor.dataScope === 'self' && actor.storeId !== null ? { [Op.or]: [visibleOrders(actor), { store_id: actor.storeId }] } : visibleOrders(actor);
  const [row] = await selectRows(models.WorkOrder, { [Op.and]: [scope, { id }] }, tx);
  if (!row) throw notFound('work order', id);
  return row;
}
