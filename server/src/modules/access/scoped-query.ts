import type { Order, Transaction, WhereOptions } from 'sequelize';
import type { AnyTableModel } from '../../core/db/define-table';
import { findPage } from '../../core/db/find-page';
import { notFound } from '../../core/errors';
import type { Actor } from './actor';
import { withinScope, type ScopeColumns } from './data-scope';

/**
 * Reads of one scoped table. Services read scoped rows only through this, so the data scope is
 * applied in one place for lists, details, searches, exports and aggregates alike.
 */
export function scopedQuery<Row extends object>(model: AnyTableModel<Row>, columns: ScopeColumns, what: string) {
  const scoped = (actor: Actor, where?: WhereOptions) => withinScope(actor, columns, where);
  return {
    columns,
    where: scoped,

    async page(actor: Actor, where: WhereOptions, range: { offset: number; limit: number }, order: Order = [['id', 'DESC']]) {
      const { rows, count } = await findPage(model, { where: scoped(actor, where), order, offset: range.offset, limit: range.limit, raw: true });
      return { rows: rows as unknown as Row[], total: count };
    },

    async all(actor: Actor, where: WhereOptions = {}, order: Order = [['id', 'ASC']], limit?: number): Promise<Row[]> {
      return (await model.findAll({ where: scoped(actor, where), order, limit, raw: true })) as unknown as Row[];
    },

    /** One row by id; a row outside the caller's scope is reported exactly like a missing one. */
    async byId(actor: Actor, id: number, tx?: Transaction): Promise<Row> {
      const row = await model.findOne({ where: scoped(actor, { id }), raw: true, transaction: tx, lock: tx ? tx.LOCK.UPDATE : undefined });
      if (!row) throw notFound(what, id);
      return row as unknown as Row;
    },

    count: (actor: Actor, where: WhereOptions = {}) => model.count({ where: scoped(actor, where) }),

    /** Row counts per value of `column`, within scope. */
    async countBy(actor: Actor, column: string, where: WhereOptions = {}): Promise<Map<number, number>> {
      const rows = (await model.count({ where: scoped(actor, where), group: [column] })) as unknown as Array<Record<string, unknown> & { count: number }>;
      return new Map(rows.map((row) => [Number(row[column]), Number(row.count)]));
    },
  };
}

export type ScopedQuery<Row extends object> = ReturnType<typeof scopedQuery<Row>>;
