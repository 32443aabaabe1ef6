import { QueryTypes } from 'sequelize';
import type { Database } from '../../core/db/database';
import type { Models } from '../../core/db/models';
import type { Actor } from '../access/actor';
import type { Periods } from './settlement-periods';
import { presentPeriod } from './settlement-periods';
import type { SettlementScope } from './settlement-scope';
import type { ReportGroup } from './settlement.schemas';

interface Row {
  key: string | number | null;
  label: string | null;
  jobs: number | string;
  amount: number | string;
}

const productLineOf = (products: string | null): string => {
  try {
    const first = (JSON.parse(products ?? '[]') as Array<{ category?: string }>).find((p) => p.category);
    return first?.category ?? 'other';
  } catch {
    return 'other';
  }
};

/** Period totals and reports, aggregated in SQL over the lines the actor may see. */
export function createReports(deps: { db: Database; models: Models; scope: SettlementScope; periods: Periods }) {
  const { db, models, scope, periods } = deps;

  async function query(actor: Actor, sql: (payeeFilter: string) => string, replacements: Record<string, unknown>, alias = 'l'): Promise<Row[]> {
    const visible = await scope.payeeIds(actor);
    if (visible !== null && visible.length === 0) return [];
    const filter = visible === null ? '' : ` AND ${alias}.payee_id IN (:visible)`;
    return db.sequelize.query<Row>(sql(filter), { replacements: { ...replacements, visible }, type: QueryTypes.SELECT });
  }

  const grouped: Record<Exclude<ReportGroup, 'product_line'>, (filter: string) => string> = {
    technician: (f) => `SELECT p.id AS \`key\`, p.name AS label, COUNT(DISTINCT l.work_order_id) AS jobs, SUM(l.amount_fen) AS amount FROM settlement_lines l JOIN payees p ON p.id = l.payee_id WHERE l.period_id = :periodId AND p.kind = 'technician'${f} GROUP BY p.id, p.name`,
    region: (f) => `SELECT r.code AS \`key\`, r.name AS label, COUNT(DISTINCT l.work_order_id) AS jobs, SUM(l.amount_fen) AS amount FROM settlement_lines l LEFT JOIN work_orders w ON w.id = l.work_order_id LEFT JOIN stores s ON s.id = w.store_id LEFT JOIN regions r ON r.id = s.region_id WHERE l.period_id = :periodId${f} GROUP BY r.code, r.name`,
    source: (f) => `SELECT w.source_channel AS \`key\`, w.source_channel AS label, COUNT(DISTINCT l.work_order_id) AS jobs, SUM(l.amount_fen) AS amount FROM settlement_lines l LEFT JOIN work_orders w ON w.id = l.work_order_id WHERE l.period_id = :periodId${f} GROUP BY w.source_channel`,
  };

  async function productLines(actor: Actor, periodId: number) {
    const perOrder = await query(actor, (f) => `SELECT l.work_order_id AS \`key\`, w.products AS label, 1 AS jobs, SUM(l.amount_fen) AS amount FROM settlement_lines l LEFT JOIN work_orders w ON w.id = l.work_order_id WHERE l.period_id = :periodId${f} GROUP BY l.work_order_id, w.products`, { periodId });
    const sums = new Map<string, { jobs: number; amount: number }>();
    for (const row of perOrder) {
      const key = row.key === null ? 'other' : productLineOf(row.label);
      const sum = sums.get(key) ?? { jobs: 0, amount: 0 };
      sums.set(key, { jobs: sum.jobs + (row.key === null ? 0 : 1), amount: sum.amount + Number(row.amount) });
    }
    return [...sums].map(([key, sum]) => ({ key, label: key, jobs: sum.jobs, amountFen: sum.amount }));
  }

  return {
    async report(actor: Actor, periodId: number, groupBy: ReportGroup) {
      await periods.get(periodId);
      const rows =
        groupBy === 'product_line'
          ? await productLines(actor, periodId)
          : (await query(actor, grouped[groupBy], { periodId })).map((r) => ({ key: r.key === null ? 'other' : String(r.key), label: r.label ?? (groupBy === 'region' ? '返利等（无工单）' : 'other'), jobs: Number(r.jobs), amountFen: Number(r.amount) }));
      rows.sort((a, b) => b.amountFen - a.amountFen || a.key.localeCompare(b.key));
      return { groupBy, rows, totalFen: rows.reduce((sum, r) => sum + r.amountFen, 0) };
    },

    /**
     * Every period with its job count and line total (within the actor's scope for the total): a
     * closed period's total is its statements' (written at close), only open ones sum their lines.
     */
    async periods(actor: Actor) {
      const rows = await models.Period.findAll({ order: [['code', 'DESC']], raw: true });
      const jobs = await db.sequelize.query<{ period_id: number; n: number | string }>('SELECT period_id, COUNT(*) AS n FROM settlement_jobs WHERE excluded = :no GROUP BY period_id', { replacements: { no: false }, type: QueryTypes.SELECT });
      const closed = rows.filter((r) => r.status === 'closed').map((r) => Number(r.id));
      const open = rows.filter((r) => r.status !== 'closed').map((r) => Number(r.id));
      const totals = [
        ...(closed.length ? await query(actor, (f) => `SELECT s.period_id AS \`key\`, NULL AS label, 0 AS jobs, SUM(s.lines_total_fen) AS amount FROM settlement_statements s WHERE s.period_id IN (:closed)${f} GROUP BY s.period_id`, { closed }, 's') : []),
        ...(open.length ? await query(actor, (f) => `SELECT l.period_id AS \`key\`, NULL AS label, 0 AS jobs, SUM(l.amount_fen) AS amount FROM settlement_lines l WHERE l.period_id IN (:open)${f} GROUP BY l.period_id`, { open }) : []),
      ];
      const jobCount = new Map(jobs.map((j) => [Number(j.period_id), Number(j.n)]));
      const totalOf = new Map(totals.map((t) => [Number(t.key), Number(t.amount)]));
      return rows.map((row) => presentPeriod(row, { jobCount: jobCount.get(Number(row.id)) ?? 0, totalFen: totalOf.get(Number(row.id)) ?? 0 }));
    },

    async period(actor: Actor, periodId: number) {
      const all = await this.periods(actor);
      const found = all.find((p) => p.id === periodId);
      if (!found) return presentPeriod(await periods.get(periodId));
      return found;
    },
  };
}

export type Reports = ReturnType<typeof createReports>;
