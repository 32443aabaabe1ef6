import { Op, type WhereOptions } from 'sequelize';
import { AppError, assertUnreachable } from '../../core/errors';
import type { Actor } from './actor';

/**
 * How a table relates to the organisation. Declared once per scoped table; every list, detail,
 * search, export and aggregate of that table goes through `scopeWhere`, never its own filter.
 */
export interface ScopeColumns {
  /** Column holding the row's store (or the store id itself, for the stores table). */
  store?: string;
  /** Column holding the row's region, for rows that belong to a region rather than a store. */
  region?: string;
  /** Column naming the user who owns the row, used by the `self` scope. */
  owner?: string;
}

const nothing = { [Op.and]: [{ id: null }, { id: { [Op.not]: null } }] } as WhereOptions;

export function scopeWhere(actor: Actor, columns: ScopeColumns): WhereOptions {
  switch (actor.dataScope) {
    case 'all':
      return {};
    case 'region': {
      const clauses: WhereOptions[] = [];
      if (columns.store && actor.storeIds) clauses.push({ [columns.store]: { [Op.in]: [...actor.storeIds] } });
      if (columns.region && actor.regionId !== null) clauses.push({ [columns.region]: actor.regionId });
      return clauses.length ? { [Op.or]: clauses } : nothing;
    }
    case 'store':
      if (columns.store && actor.storeId !== null) return { [columns.store]: actor.storeId };
      if (columns.region && actor.regionId !== null) return { [columns.region]: actor.regionId };
      return nothing;
    case 'self':
      if (columns.owner) return { [columns.owner]: actor.userId };
      if (columns.store && actor.storeId !== null) return { [columns.store]: actor.storeId };
      return nothing;
    default:
      return assertUnreachable(actor.dataScope);
  }
}

/** Combines the actor's scope with a caller's own filter. */
export const withinScope = (actor: Actor, columns: ScopeColumns, where: WhereOptions = {}): WhereOptions => ({
  [Op.and]: [scopeWhere(actor, columns), where],
});

/** Whether the actor may create or move a row into this store. */
export function canUseStore(actor: Actor, storeId: number): boolean {
  return actor.storeIds === null || actor.storeIds.includes(storeId);
}

export function assertStoreInScope(actor: Actor, storeId: number, path = 'body.storeId'): void {
  if (!canUseStore(actor, storeId)) {
    throw new AppError('FORBIDDEN', `store ${storeId} is outside your data scope`, [{ path, message: 'outside your data scope' }]);
  }
}
