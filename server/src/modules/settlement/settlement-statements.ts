import { createHash } from 'node:crypto';
import { Op, QueryTypes, type Transaction } from 'sequelize';
import type { Database } from '../../core/db/database';
import type { Models } from '../../core/db/models';
import { notFound } from '../../core/errors';
import { pageOf, toOffset } from '../../core/http/pagination';
import type { Actor } from '../access/actor';
import type { SettlementScope } from './settlement-scope';
import type { PayeeRow, PeriodRow, StatementRow } from './settlement.models';
import type { StatementQuery } from './settlement.schemas';

export interface StatementFigures {
  payeeId: number;
  openingBalanceFen: number;
  linesTotalFen: number;
  heldFen: number;
  payableFen: number;
  carriedFen: number;
  shortfallFen: number;
  lineCount: number;
}

const EMPTY_HASH = createHash('sha256').digest('hex');

/**
 * Balance = opening + lines − held. A positive balance is payable; a negative one is carried into the
 * next period when the payee allows it, otherwise payable is floored at 0 and the shortfall recorded.
 */
export function settle(opening: number, total: number, held: number, allowNegativeCarry: boolean): Pick<StatementFigures, 'payableFen' | 'carriedFen' | 'shortfallFen'> {
  const balance = opening + total - held;
  if (balance >= 0) return { payableFen: balance, carriedFen: 0, shortfallFen: 0 };
  return allowNegativeCarry ? { payableFen: 0, carriedFen: balance, shortfallFen: 0 } : { payableFen: 0, carriedFen: 0, shortfallFen: -balance };
}

export function createStatements(deps: { db: Database; models: Models; scope: SettlementScope }) {
  const { db, models, scope } = deps;

  /** Statement figures from each payee's line sums, with the balances carried from earlier periods. */
  async function figuresFrom(period: PeriodRow, sums: Map<number, { totalFen: number; heldFen: number; lineCount: number }>, tx?: Transaction): Promise<StatementFigures[]> {
    const earlier = await db.sequelize.query<{ payee_id: number; carried_fen: number | string }>(
      'SELECT s.payee_id, s.carried_fen FROM settlement_statements s JOIN settlement_periods p ON p.id = s.period_id WHERE p.code < :code ORDER BY p.code',
      { replacements: { code: period.code }, type: QueryTypes.SELECT, transaction: tx },
    );
    const opening = new Map<number, number>();
    for (const row of earlier) opening.set(Number(row.payee_id), Number(row.carried_fen));
    const payeeIds = [...new Set([...sums.keys(), ...[...opening].filter(([, carried]) => carried !== 0).map(([id]) => id)])].sort((a, b) => a - b);
    const allow = new Map((await models.Payee.findAll({ where: { id: payeeIds }, attributes: ['id', 'allow_negative_carry'], raw: true, transaction: tx })).map((p) => [Number(p.id), Boolean(p.allow_negative_carry)]));
    return payeeIds.map((payeeId) => {
      const sum = sums.get(payeeId);
      const openingBalanceFen = opening.get(payeeId) ?? 0;
      const linesTotalFen = sum?.totalFen ?? 0;
      const heldFen = sum?.heldFen ?? 0;
      return { payeeId, openingBalanceFen, linesTotalFen, heldFen, lineCount: sum?.lineCount ?? 0, ...settle(openingBalanceFen, linesTotalFen, heldFen, allow.get(payeeId) ?? false) };
    });
  }

  /** An open period's figures, aggregated in SQL from its (provisional) lines. */
  async function figures(period: PeriodRow, tx?: Transaction): Promise<StatementFigures[]> {
    const sums = await db.sequelize.query<{ payee_id: number; total: number | string; held: number | string; n: number | string }>(
      "SELECT payee_id, SUM(amount_fen) AS total, SUM(CASE WHEN dispute_status = 'open' THEN amount_fen ELSE 0 END) AS held, COUNT(*) AS n FROM settlement_lines WHERE period_id = :periodId GROUP BY payee_id",
      { replacements: { periodId: period.id }, type: QueryTypes.SELECT, transaction: tx },
    );
    return figuresFrom(period, new Map(sums.map((s) => [Number(s.payee_id), { totalFen: Number(s.total), heldFen: Number(s.held), lineCount: Number(s.n) }])), tx);
  }

  const present = (period: PeriodRow, payee: PayeeRow | undefined, f: StatementFigures, stored: StatementRow | null) => ({
    id: stored ? Number(stored.id) : null,
    periodId: Number(period.id),
    periodCode: period.code,
    payeeId: f.payeeId,
    payeeName: payee?.name ?? '',
    payeeKind: payee?.kind ?? 'technician',
    openingBalanceFen: f.openingBalanceFen,
    linesTotalFen: f.linesTotalFen,
    heldFen: f.heldFen,
    payableFen: f.payableFen,
    carriedFen: f.carriedFen,
    lineCount: f.lineCount,
    hash: stored?.hash ?? null,
    provisional: stored === null,
  });
  const figuresOf = (row: StatementRow): StatementFigures => ({
    payeeId: Number(row.payee_id),
    openingBalanceFen: Number(row.opening_balance_fen),
    linesTotalFen: Number(row.lines_total_fen),
    heldFen: Number(row.held_fen),
    payableFen: Number(row.payable_fen),
    carriedFen: Number(row.carried_fen),
    shortfallFen: Number(row.shortfall_fen),
    lineCount: Number(row.line_count),
  });

  return {
    figures,
    present,

    /** Writes the statements of a closing period from the figures its computation summed (inside the closing transaction). */
    async write(period: PeriodRow, computed: Map<number, { totalFen: number; heldFen: number; lineCount: number; digest: { digest(): string } }>, tx: Transaction): Promise<number> {
      await models.Statement.destroy({ where: { period_id: period.id }, transaction: tx });
      const now = new Date();
      const rows = (await figuresFrom(period, computed, tx)).map((f) => ({
        period_id: Number(period.id),
        payee_id: f.payeeId,
        opening_balance_fen: f.openingBalanceFen,
        lines_total_fen: f.linesTotalFen,
        held_fen: f.heldFen,
        payable_fen: f.payableFen,
        carried_fen: f.carriedFen,
        shortfall_fen: f.shortfallFen,
        line_count: f.lineCount,
        hash: computed.get(f.payeeId)?.digest.digest() ?? EMPTY_HASH,
        created_at: now,
      }));
      for (let i = 0; i < rows.length; i += 1000) await models.Statement.bulkCreate(rows.slice(i, i + 1000), { transaction: tx });
      return rows.length;
    },

    /** A closed period's stored statements, or an open period's computed live from its provisional lines. */
    async list(actor: Actor, period: PeriodRow, query: Omit<StatementQuery, 'periodId'>) {
      const visible = await scope.payeeIds(actor);
      const payeeWhere = scope.where(actor, { ...(query.payeeKind && { kind: query.payeeKind }), ...(query.keyword && { name: { [Op.like]: `%${query.keyword}%` } }) });
      const payees = new Map((await models.Payee.findAll({ where: payeeWhere, raw: true })).map((p) => [Number(p.id), p]));
      const inScope = (payeeId: number) => payees.has(payeeId) && (visible === null || visible.includes(payeeId));
      const range = toOffset(query);
      if (period.status === 'closed') {
        const stored = (await models.Statement.findAll({ where: { period_id: period.id }, order: [['payee_id', 'ASC']], raw: true })).filter((s) => inScope(Number(s.payee_id)));
        const items = stored.slice(range.offset, range.offset + range.limit).map((s) => present(period, payees.get(Number(s.payee_id)), figuresOf(s), s));
        return pageOf(items, stored.length, query);
      }
      const live = (await figures(period)).filter((f) => inScope(f.payeeId));
      return pageOf(live.slice(range.offset, range.offset + range.limit).map((f) => present(period, payees.get(f.payeeId), f, null)), live.length, query);
    },

    async get(actor: Actor, id: number) {
      const row = await models.Statement.findByPk(id, { raw: true });
      if (!row) throw notFound('statement', id);
      await scope.assertPayee(actor, Number(row.payee_id));
      const period = await models.Period.findByPk(row.period_id, { raw: true });
      const payee = await models.Payee.findByPk(row.payee_id, { raw: true });
      if (!period) throw notFound('statement', id);
      return present(period, payee ?? undefined, figuresOf(row), row);
    },
  };
}

export type Statements = ReturnType<typeof createStatements>;
