import type { EventEmitter } from '../plugins/outbox';
import { z } from 'zod';
import type { Database } from '../../core/db/database';
import type { Models } from '../../core/db/models';
import { conflict } from '../../core/errors';
import type { JobQueue } from '../../core/jobs/job-queue';
import type { Logger } from '../../core/logger';
import type { Actor } from '../access/actor';
import type { AuditService } from '../audit/audit.service';
import { computePeriod, type PeriodComputation } from './settlement-compute';
import { nextPeriodCode } from './settlement-dates';
import { disputesOf, lineInsertStatements, rowOf, type CarriedDisputes } from './settlement-line-rows';
import type { Periods } from './settlement-periods';
import { createJobLineRewriter, type JobLineRewriter } from './settlement-rewrite';
import type { Statements } from './settlement-statements';
import { loadVersionCatalogue } from './settlement-versions';
import type { PeriodRow } from './settlement.models';

export const CLOSE_JOB = 'settlement.close-period';

/**
 * Closing a period: `open → closing` under the period's row lock (writers then move on to the next
 * open period), then in the background, in one pass over the jobs: recompute every job's lines from
 * its facts snapshot, rewrite only the jobs whose lines differ from the stored ones (by digest), sum
 * the statements and the lines hash; then add the tiered rebates, write the statements, `→ closed`,
 * which makes every line of the period final. An interrupted close is simply run again.
 */
export function createPeriodClose(deps: { db: Database; models: Models; audit: AuditService; queue: JobQueue; periods: Periods; statements: Statements; log: Logger; events?: EventEmitter }) {
  const { db, models, audit, queue, periods, statements, log } = deps;

  const trailingLines = (periodId: number) => models.Line.findAll({ where: { period_id: periodId, line_type: ['adjustment', 'reversal'] }, order: [['id', 'ASC']], raw: true });

  /** Disputes on the period's job lines, carried onto a line that replaces its disputed predecessor. */
  async function jobDisputes(periodId: number): Promise<CarriedDisputes> {
    return disputesOf(await models.Line.findAll({ where: { period_id: periodId, line_type: 'job', dispute_status: ['open', 'resolved'] }, raw: true }));
  }

  /** The computation of a period from its inputs; with a rewriter, jobs whose lines changed are rewritten on the way. */
  async function compute(period: PeriodRow, rewriter?: JobLineRewriter, disputes?: CarriedDisputes): Promise<PeriodComputation> {
    const catalogue = await loadVersionCatalogue(db);
    return computePeriod({ db, models }, { periodId: Number(period.id), endsOn: period.ends_on, catalogue, disputes, trailing: await trailingLines(Number(period.id)), changed: rewriter && ((jobs) => rewriter.add(jobs)) });
  }

  /** Runs a close; answers what it rewrote (jobs, lines deleted and inserted), or null when the period is not closing. */
  async function run(periodId: number): Promise<{ rewrittenJobs: number; deleted: number; inserted: number; ms: Record<string, number> } | null> {
    const period = await periods.get(periodId);
    if (period.status !== 'closing') return null;
    const started = Date.now();
    const createdAt = new Date();
    const disputes = await jobDisputes(periodId);
    const rewriter = createJobLineRewriter(db, { periodId, createdAt, disputes });
    const computeStarted = Date.now();
    const result = await compute(period, rewriter, disputes);
    const computed = Date.now();
    const { deleted, inserted, ...writeMs } = await rewriter.flush();
    const flushed = Date.now();
    await db.transaction(async (tx) => {
      const locked = await models.Period.findByPk(periodId, { raw: true, transaction: tx, lock: tx.LOCK.UPDATE });
      if (locked?.status !== 'closing') return;
      await models.Line.destroy({ where: { period_id: periodId, line_type: 'rebate' }, transaction: tx });
      for (const sql of lineInsertStatements(db, result.rebates.map((line) => rowOf(line, { periodId, completedOn: locked.ends_on, createdAt })))) await db.sequelize.query(sql, { transaction: tx });
      const count = await statements.write(locked, result.payees, tx);
      await models.Period.update({ status: 'closed', lines_hash: result.hash, closed_at: new Date() }, { where: { id: periodId }, transaction: tx });
      // The month after a closed one is open from the start, so lists and pickers always show one.
      await periods.ensure(nextPeriodCode(locked.code), tx);
      await audit.record({ action: 'settlement.period_closed', targetType: 'settlement_period', targetId: periodId, actor: { id: locked.closed_by, name: 'system' }, after: { code: locked.code, jobs: result.jobs, lines: result.lines, rewrittenJobs: result.changedJobs, statements: count, linesHash: result.hash } }, tx);
      await deps.events?.emit('settlement.periodClosed', { periodId, code: locked.code, linesHash: result.hash }, tx);
    });
    // Where the time went: reading jobs and waiting for the writer happen inside the pass, pricing and hashing are the rest of it.
    const ms = { total: Date.now() - started, prepare: computeStarted - started, pass: computed - computeStarted, ...result.waited, lastWrite: flushed - computed, ...writeMs, statements: Date.now() - flushed };
    log.info({ periodId, jobs: result.jobs, lines: result.lines, rewrittenJobs: result.changedJobs, deleted, inserted, skipped: result.skipped, ms }, 'settlement period closed');
    return { rewrittenJobs: result.changedJobs, deleted, inserted, ms };
  }

  queue.register({ type: CLOSE_JOB, payload: z.object({ periodId: z.number().int().positive() }), maxAttempts: 5, handle: async ({ periodId }) => void (await run(periodId)) });

  return {
    run,

    async start(actor: Actor, periodId: number): Promise<{ jobId: number | null }> {
      return db.transaction(async (tx) => {
        const period = await models.Period.findByPk(periodId, { raw: true, transaction: tx, lock: tx.LOCK.UPDATE });
        if (!period) throw conflict(`settlement period ${periodId} does not exist`);
        if (period.status === 'closed') throw conflict(`period ${period.code} is already closed`);
        if (period.status === 'open') {
          await models.Period.update({ status: 'closing', closed_by: actor.userId }, { where: { id: periodId }, transaction: tx });
          await audit.record({ action: 'settlement.period_closing', targetType: 'settlement_period', targetId: periodId, before: { status: 'open' }, after: { status: 'closing', code: period.code } }, tx);
        }
        return { jobId: await queue.enqueue(CLOSE_JOB, { periodId }, { transaction: tx }) };
      });
    },

    /** Recomputes a closed period from its inputs without writing: the hash must match the recorded one. */
    async verify(periodId: number) {
      const period = await periods.get(periodId);
      if (period.status !== 'closed') throw conflict(`period ${period.code} is not closed`);
      const result = await compute(period);
      return { periodId, linesHash: period.lines_hash, recomputedHash: result.hash, equal: result.hash === period.lines_hash, jobs: result.jobs, lines: result.lines };
    },
  };
}

export type PeriodClose = ReturnType<typeof createPeriodClose>;
