import { DataTypes, Op, type Sequelize } from 'sequelize';
import { z } from 'zod';
import type { Database } from '../../core/db/database';
import { defineTable, id } from '../../core/db/define-table';
import { findPage } from '../../core/db/find-page';
import { AppError } from '../../core/errors';
import type { JobQueue, RunningJob } from '../../core/jobs/job-queue';
import type { Logger } from '../../core/logger';

export const syncKinds = ['directory', 'tags', 'customers', 'groups', 'reconcile'] as const;
export type SyncKind = (typeof syncKinds)[number];
export type SyncTrigger = 'manual' | 'schedule' | 'startup';

export interface SyncRunRow {
  id: number;
  kind: SyncKind;
  status: 'running' | 'done' | 'failed';
  trigger: SyncTrigger;
  /** JSON: where a resumed run carries on. */
  cursor: string | null;
  processed: number;
  total: number | null;
  /** JSON: what the run found, created, changed or fixed. */
  report: string | null;
  error: string | null;
  owner: string | null;
  heartbeat_at: Date;
  started_at: Date;
  finished_at: Date | null;
}

export const defineSyncRunModel = (sequelize: Sequelize) =>
  defineTable<SyncRunRow, 'id' | 'cursor' | 'processed' | 'total' | 'report' | 'error' | 'owner' | 'finished_at'>(
    sequelize,
    'sync_runs',
    {
      id,
      kind: DataTypes.STRING(32),
      status: DataTypes.STRING(16),
      trigger: DataTypes.STRING(16),
      cursor: DataTypes.TEXT,
      processed: DataTypes.INTEGER,
      total: DataTypes.INTEGER,
      report: DataTypes.TEXT,
      error: DataTypes.TEXT,
      owner: DataTypes.STRING(128),
      heartbeat_at: DataTypes.DATE(3),
      started_at: DataTypes.DATE(3),
      finished_at: DataTypes.DATE(3),
    },
    { timestamps: false },
  );

/** What a sync runner gets: its run (with the cursor to resume from) and a way to save progress. */
export interface SyncRunContext<Cursor> {
  runId: number;
  trigger: SyncTrigger;
  /** Undefined on a fresh run; the last checkpointed cursor on a resumed one. */
  cursor: Cursor | undefined;
  /** Saves progress durably (and keeps the job's claim alive). Call after each stored page. */
  checkpoint(progress: { cursor: Cursor; processed: number; total?: number | null }): Promise<void>;
}

/** A runner returns its report: counts of what it created, updated, fixed… */
export type SyncRunner<Cursor = unknown> = (context: SyncRunContext<Cursor>) => Promise<Record<string, unknown>>;

const RUN_JOB = 'wecom.sync.run';
const RUN_ATTEMPTS = 20;

/**
 * Every WeCom sync runs as a durable job recorded in `sync_runs`. A run checkpoints its cursor as it
 * goes; when its instance dies, the job's lease runs out, another claim resumes the same run from the
 * last cursor. One run per kind at a time, across instances.
 */
export function createSyncRuns(deps: { db: Database; models: { SyncRun: ReturnType<typeof defineSyncRunModel> }; queue: JobQueue; log: Logger; instanceId: string }) {
  const { db, models, queue, log, instanceId } = deps;
  const runners = new Map<SyncKind, SyncRunner>();

  async function execute(runId: number, job: RunningJob) {
    const run = await models.SyncRun.findByPk(runId, { raw: true });
    if (!run || run.status !== 'running') return;
    const runner = runners.get(run.kind);
    if (!runner) throw new Error(`no runner for sync kind ${run.kind}`);
    await models.SyncRun.update({ owner: instanceId, heartbeat_at: new Date() }, { where: { id: runId } });
    const context: SyncRunContext<unknown> = {
      runId,
      trigger: run.trigger,
      cursor: run.cursor ? JSON.parse(run.cursor) : undefined,
      async checkpoint(progress) {
        await models.SyncRun.update(
          { cursor: JSON.stringify(progress.cursor), processed: progress.processed, ...(progress.total !== undefined && { total: progress.total }), heartbeat_at: new Date() },
          { where: { id: runId } },
        );
        await job.renewLease();
      },
    };
    try {
      const report = await runner(context);
      await models.SyncRun.update({ status: 'done', report: JSON.stringify(report), finished_at: new Date(), heartbeat_at: new Date() }, { where: { id: runId } });
      log.info({ runId, kind: run.kind, report }, 'sync finished');
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await models.SyncRun.update({ error: message.slice(0, 4000), heartbeat_at: new Date() }, { where: { id: runId } });
      // The last attempt marks the run failed; earlier ones retry and resume from the cursor.
      if (job.attempt >= RUN_ATTEMPTS) await models.SyncRun.update({ status: 'failed', finished_at: new Date() }, { where: { id: runId } });
      throw error;
    }
  }

  queue.register({ type: RUN_JOB, payload: z.object({ runId: z.number().int().positive() }), maxAttempts: RUN_ATTEMPTS, handle: ({ runId }, job) => execute(runId, job) });

  return {
    register<Cursor>(kind: SyncKind, runner: SyncRunner<Cursor>): void {
      if (runners.has(kind)) throw new Error(`sync kind ${kind} already has a runner`);
      runners.set(kind, runner as SyncRunner);
    },

    /** Starts a run of `kind` unless one is already running; returns the run (new or the running one). */
    async start(kind: SyncKind, trigger: SyncTrigger, options: { ifRunning?: 'reject' | 'return' } = {}): Promise<SyncRunRow> {
      const { run, created } = await db.transaction(async (tx) => {
        const running = await models.SyncRun.findOne({ where: { kind, status: 'running' }, transaction: tx, lock: tx.LOCK.UPDATE, raw: true });
        if (running) return { run: running, created: false };
        const now = new Date();
        const row = await models.SyncRun.create({ kind, status: 'running', trigger, heartbeat_at: now, started_at: now }, { transaction: tx });
        await queue.enqueue(RUN_JOB, { runId: Number(row.get('id')) }, { transaction: tx, dedupeKey: `sync-run:${row.get('id')}` });
        return { run: row.get({ plain: true }), created: true };
      });
      if (!created && options.ifRunning !== 'return') throw new AppError('CONFLICT', `a ${kind} sync is already running (run ${run.id})`);
      return run;
    },

    /** The latest run of each kind, newest first. */
    async latest(): Promise<SyncRunRow[]> {
      const rows: SyncRunRow[] = [];
      for (const kind of syncKinds) {
        const row = await models.SyncRun.findOne({ where: { kind }, order: [['id', 'DESC']], raw: true });
        if (row) rows.push(row);
      }
      return rows;
    },

    async list(filter: { kind?: SyncKind; status?: SyncRunRow['status'] }, range: { offset: number; limit: number }) {
      const where = { ...(filter.kind && { kind: filter.kind }), ...(filter.status && { status: filter.status }) };
      const { rows, count } = await findPage(models.SyncRun, { where, order: [['id', 'DESC']], offset: range.offset, limit: range.limit, raw: true });
      return { rows, total: count };
    },

    get: (runId: number) => models.SyncRun.findByPk(runId, { raw: true }),

    /** Whether a runner is registered for `kind` (a part may start another's sync only if it exists). */
    registered: (kind: SyncKind) => runners.has(kind),

    /** The last finished run of `kind` (for "last full sync" displays). */
    lastDone: (kind: SyncKind) => models.SyncRun.findOne({ where: { kind, status: 'done', finished_at: { [Op.ne]: null } }, order: [['id', 'DESC']], raw: true }),
  };
}

export type SyncRuns = ReturnType<typeof createSyncRuns>;
