import type { Transaction } from 'sequelize';
import { z } from 'zod';
import type { Database } from '../../core/db/database';
import type { Models } from '../../core/db/models';
import { insertRows } from '../../core/db/raw-rows';
import { retryOnConflict } from '../../core/db/retry-on-conflict';
import type { JobQueue } from '../../core/jobs/job-queue';
import type { Logger } from '../../core/logger';
import type { WorkOrderRow } from '../work-orders/work-order.models';
import { createConditionEvaluator, createJobPricer } from './engine';
import type { FactsBuilder } from './settlement-facts';
import { keysOfWritten } from './settlement-line-keys';
import { disputesOf, priceJobLines, rowOf, type CarriedDisputes } from './settlement-line-rows';
import { createPayeeResolver } from './settlement-payees';
import type { Periods } from './settlement-periods';
import type { EventEmitter } from '../plugins/outbox';
import type { JobFacts } from './settlement-rules';
import { loadVersionCatalogue } from './settlement-versions';
import type { LineRow, SettlementJobRow } from './settlement.models';

export const PRICE_JOB = 'settlement.price-job';

/**
 * Prices finished work orders. In the transaction that finishes an order, its facts are snapshotted
 * into the open period of its completion date and pricing is queued; pricing then replaces the job's
 * provisional lines and records their digest and keys — only while that period is still open (a closing
 * period computes them itself).
 */
export function createPricing(deps: { db: Database; models: Models; queue: JobQueue; facts: FactsBuilder; periods: Periods; log: Logger; events?: EventEmitter }) {
  const { db, models, queue, periods, log } = deps;
  // One evaluator for the life of the process: condition outcomes are memoized across jobs.
  const evaluator = createConditionEvaluator();
  const pricer = createJobPricer({ evaluator });

  /** The lines of `facts` under the versions in force on its completion date, for their payees, as rows of `periodId`. */
  async function linesFor(job: SettlementJobRow, facts: JobFacts, periodId: number, tx: Transaction, disputes?: CarriedDisputes) {
    const catalogue = await loadVersionCatalogue(db, tx);
    const priced = await priceJobLines({ pricer, resolver: createPayeeResolver(models, tx), catalogue }, job, facts);
    const context = { periodId, completedOn: job.completed_on, createdAt: new Date(), disputes };
    return { rows: priced.lines.map((line) => rowOf(line, context)), texts: priced.lines.map((line) => line.text), digest: priced.digest, skipped: priced.skipped };
  }

  /** Replaces the job lines of a job in its (open) period and records their digest; null when the period no longer takes writes. */
  async function replaceProvisional(job: SettlementJobRow, tx: Transaction): Promise<{ lines: LineRow[]; skipped: number } | null> {
    const period = await periods.lockedIfOpen(Number(job.period_id), tx);
    if (!period) return null;
    const where = { period_id: Number(job.period_id), work_order_id: Number(job.work_order_id), line_type: 'job' };
    const previous = await models.Line.findAll({ where, raw: true, transaction: tx });
    const disputes = disputesOf(previous);
    await models.Line.destroy({ where, transaction: tx });
    if (job.excluded) {
      await models.SettlementJob.update({ lines_digest: null, line_keys: null }, { where: { id: job.id }, transaction: tx });
      return { lines: [], skipped: 0 };
    }
    const out = await linesFor(job, JSON.parse(job.facts) as JobFacts, Number(job.period_id), tx, disputes);
    const created = await models.Line.bulkCreate(out.rows, { transaction: tx });
    const lineKeys = keysOfWritten(created.map((c) => Number(c.get('id'))), out.texts);
    await models.SettlementJob.update({ lines_digest: out.digest, line_keys: lineKeys }, { where: { id: job.id }, transaction: tx });
    return { lines: created.map((c) => c.get({ plain: true })), skipped: out.skipped };
  }

  /** Idempotent, so a deadlock victim simply runs again. */
  async function priceJob(workOrderId: number) {
    return retryOnConflict(() => db.transaction(async (tx) => {
      const job = await models.SettlementJob.findOne({ where: { work_order_id: workOrderId }, raw: true, transaction: tx });
      if (!job) return null;
      const result = await replaceProvisional(job, tx);
      if (result?.skipped) log.info({ workOrderId, skipped: result.skipped }, 'settlement lines without a payee were left out');
      if (result) await deps.events?.emit('settlement.jobPriced', { workOrderId, periodId: Number(job.period_id), totalFen: result.lines.reduce((sum, line) => sum + Number(line.amount_fen), 0) }, tx);
      return result;
    }), 5);
  }

  queue.register({ type: PRICE_JOB, payload: z.object({ workOrderId: z.number().int().positive() }), handle: async ({ workOrderId }) => void (await priceJob(workOrderId)) });

  return {
    linesFor,
    replaceProvisional,
    priceJob,

    /** The work-order runtime's `done` hook: snapshot the facts, book the job into an open period, queue pricing. */
    async onOrderDone(order: WorkOrderRow, tx: Transaction): Promise<void> {
      const facts = await deps.facts.build(order, tx);
      const period = await periods.openPeriodFor(facts.workOrder.completedOn, tx);
      // One job per order (a unique key): an order finished before keeps its first snapshot.
      const row = { work_order_id: Number(order.id), period_id: Number(period.id), completed_at: new Date(facts.workOrder.completedAt), completed_on: facts.workOrder.completedOn, facts: JSON.stringify(facts) };
      const { affectedRows } = await insertRows(models.SettlementJob, [row], tx, { ignoreDuplicates: true });
      if (affectedRows) await queue.enqueue(PRICE_JOB, { workOrderId: Number(order.id) }, { transaction: tx });
    },
  };
}

export type Pricing = ReturnType<typeof createPricing>;
