import type { Database } from '../../core/db/database';
import type { Models } from '../../core/db/models';
import type { Actor } from '../access/actor';
import type { Lines } from './settlement-lines';
import { presentPeriod, type Periods } from './settlement-periods';
import type { Statements } from './settlement-statements';

/** A technician's own earnings: per job with the breakdown, the period's running total, past statements. */
export function createMyEarnings(deps: { db: Database; models: Models; periods: Periods; lines: Lines; statements: Statements }) {
  const { db, models, periods, lines, statements } = deps;
  const ownPayee = (actor: Actor) => models.Payee.findOne({ where: { kind: 'technician', user_id: actor.userId }, order: [['id', 'ASC']], raw: true });

  return {
    async earnings(actor: Actor, periodId?: number) {
      const period = periodId ? await periods.get(periodId) : await db.transaction((tx) => periods.currentOpen(tx));
      const payee = await ownPayee(actor);
      const rows = payee ? await models.Line.findAll({ where: { period_id: period.id, payee_id: payee.id }, order: [['id', 'ASC']], raw: true }) : [];
      const views = await lines.present(rows);
      const jobs = new Map<number, { workOrderId: number; orderNo: string | null; title: string | null; completedAt: string | null; totalFen: number; state: string; lines: Array<{ ruleName: string; formula: string; amountFen: number; lineType: string }> }>();
      const orders = new Map((await models.SettlementJob.findAll({ where: { work_order_id: [...new Set(views.map((v) => v.workOrderId).filter((id): id is number => id !== null))] }, attributes: ['work_order_id', 'completed_at'], raw: true })).map((j) => [Number(j.work_order_id), new Date(j.completed_at).toISOString()]));
      for (const line of views) {
        const key = line.workOrderId ?? 0;
        const job = jobs.get(key) ?? { workOrderId: key, orderNo: line.orderNo, title: line.orderTitle, completedAt: orders.get(key) ?? null, totalFen: 0, state: line.state, lines: [] };
        job.totalFen += line.amountFen;
        job.lines.push({ ruleName: line.ruleName, formula: line.formula, amountFen: line.amountFen, lineType: line.lineType });
        jobs.set(key, job);
      }
      const list = [...jobs.values()].sort((a, b) => (b.completedAt ?? '').localeCompare(a.completedAt ?? ''));
      return { period: presentPeriod(period), runningTotalFen: list.reduce((sum, j) => sum + j.totalFen, 0), jobs: list };
    },

    async statements(actor: Actor) {
      const payee = await ownPayee(actor);
      if (!payee) return [];
      const stored = await models.Statement.findAll({ where: { payee_id: payee.id }, order: [['id', 'DESC']], raw: true });
      return Promise.all(stored.map((s) => statements.get(actor, Number(s.id))));
    },
  };
}
