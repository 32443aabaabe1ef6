import { Op, UniqueConstraintError, type Transaction, type WhereOptions } from 'sequelize';
import type { Database } from '../db/database';
import type { Scheduler } from '../jobs/scheduler';
import type { Logger } from '../logger';
import type { defineTimerModels, TimerRow } from './timer.models';
import { createTimerScanner, type TimerHandler } from './timer-scanner';

export type { DueTimer, TimerHandler } from './timer-scanner';

export interface ScheduleTimer {
  /** What fires: the handler registered with `on(kind, …)` runs. */
  kind: string;
  subjectType: string;
  subjectId: string | number;
  dueAt: Date;
  payload?: Record<string, unknown>;
  /** A second schedule with the same key returns the first timer instead of adding one. */
  dedupeKey?: string;
}

export interface TimerSelector {
  subjectType: string;
  subjectId: string | number;
  /** Only timers of this kind; all kinds of the subject when left out. */
  kind?: string;
}

export interface TimerView {
  id: number;
  kind: string;
  subjectType: string;
  subjectId: string;
  dueAt: string;
  status: TimerRow['status'];
  payload: Record<string, unknown> | null;
  pausedAt: string | null;
  dedupeKey: string | null;
  firedAt: string | null;
  firedBy: string | null;
  attempts: number;
  lastError: string | null;
}

export interface TimerServiceOptions {
  db: Database;
  models: ReturnType<typeof defineTimerModels>;
  scheduler: Scheduler;
  log: Logger;
  instanceId: string;
  /** Rows claimed per scan round. */
  batchSize?: number;
  /** Failed handler runs before a timer is parked as `failed`. */
  maxAttempts?: number;
}

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

const viewOf = (row: TimerRow): TimerView => ({
  id: Number(row.id),
  kind: row.kind,
  subjectType: row.subject_type,
  subjectId: row.subject_id,
  dueAt: iso(row.due_at)!,
  status: row.status,
  payload: row.payload ? (JSON.parse(row.payload) as Record<string, unknown>) : null,
  pausedAt: iso(row.paused_at),
  dedupeKey: row.dedupe_key,
  firedAt: iso(row.fired_at),
  firedBy: row.fired_by,
  attempts: Number(row.attempts),
  lastError: row.last_error,
});

const subjectWhere = (selector: TimerSelector): WhereOptions<TimerRow> => ({
  subject_type: selector.subjectType,
  subject_id: String(selector.subjectId),
  ...(selector.kind && { kind: selector.kind }),
});

function checkInput(input: ScheduleTimer) {
  if (!input.kind || input.kind.length > 64) throw new Error('timer kind: 1–64 characters');
  if (!input.subjectType || input.subjectType.length > 64 || String(input.subjectId).length > 64) throw new Error('timer subject: type and id of 1–64 characters');
  if (!(input.dueAt instanceof Date) || Number.isNaN(input.dueAt.getTime())) throw new Error('timer dueAt: a valid Date');
  if (input.dedupeKey !== undefined && (input.dedupeKey.length < 1 || input.dedupeKey.length > 191)) throw new Error('timer dedupeKey: 1–191 characters');
}

/**
 * Durable timers: a reminder or escalation is a row with a due time, so neither a restart nor a
 * second instance loses or doubles it. A scheduled scan (and an in-process wake-up for timers due
 * within seconds) fires each due timer once, inside a transaction that the handler shares.
 *
 * Pausing stops a timer's clock: by default `resume` moves `due_at` later by exactly the time spent
 * paused; a caller whose limits are measured in business time passes `dueAfterPause` to count the
 * business minutes left at the pause again from the resume.
 */
export function createTimerService(options: TimerServiceOptions) {
  const { db, models, log } = options;
  const scanner = createTimerScanner({ ...options, log });

  options.scheduler.register({ name: 'timers.scan', schedule: '*/5 * * * * *', run: () => scanner.tick() });
  options.scheduler.register({
    name: 'timers.purge',
    schedule: '40 4 * * *',
    run: async () => {
      const cutoff = new Date(Date.now() - 90 * 24 * 3600_000);
      await models.Timer.destroy({ where: { status: ['fired', 'cancelled'], due_at: { [Op.lt]: cutoff } } });
    },
  });

  const inTransaction = <T>(tx: Transaction | undefined, work: (tx: Transaction) => Promise<T>) => (tx ? work(tx) : db.transaction(work));
  const afterCommit = (tx: Transaction | undefined, work: () => void) => (tx ? tx.afterCommit(work) : work());

  return {
    /** Adds a timer (or, with a known `dedupeKey`, returns the existing one's id). */
    async schedule(input: ScheduleTimer, tx?: Transaction): Promise<number> {
      checkInput(input);
      const id = await inTransaction(tx, async (t) => {
        const find = async () => (input.dedupeKey ? await models.Timer.findOne({ where: { dedupe_key: input.dedupeKey }, raw: true, transaction: t }) : null);
        const existing = await find();
        if (existing) return Number(existing.id);
        try {
          const created = await models.Timer.create(
            {
              kind: input.kind,
              subject_type: input.subjectType,
              subject_id: String(input.subjectId),
              due_at: input.dueAt,
              status: 'pending',
              payload: input.payload ? JSON.stringify(input.payload) : null,
              dedupe_key: input.dedupeKey ?? null,
            },
            { transaction: t },
          );
          return Number(created.get('id'));
        } catch (error) {
          const raced = error instanceof UniqueConstraintError ? await find() : null;
          if (raced) return Number(raced.id);
          throw error;
        }
      });
      afterCommit(tx, () => scanner.wakeAt(input.dueAt.getTime()));
      return id;
    },

    /** Cancels the subject's pending and paused timers; returns how many. */
    async cancel(selector: TimerSelector, tx?: Transaction): Promise<number> {
      const [count] = await inTransaction(tx, (t) =>
        models.Timer.update({ status: 'cancelled', paused_at: null }, { where: { ...subjectWhere(selector), status: ['pending', 'paused'] }, transaction: t }),
      );
      return count;
    },

    /** Stops the clock of the subject's pending timers; returns how many. */
    async pause(selector: TimerSelector, tx?: Transaction): Promise<number> {
      const [count] = await inTransaction(tx, (t) => models.Timer.update({ status: 'paused', paused_at: new Date() }, { where: { ...subjectWhere(selector), status: 'pending' }, transaction: t }));
      return count;
    },

    /** Restarts paused timers, each due later by the time it spent paused (or where `dueAfterPause` says); returns how many. */
    async resume(selector: TimerSelector, tx?: Transaction, dueAfterPause?: (timer: { dueAt: Date; pausedAt: Date }) => Date | Promise<Date>): Promise<number> {
      const dueTimes = await inTransaction(tx, async (t) => {
        const paused = await models.Timer.findAll({ where: { ...subjectWhere(selector), status: 'paused' }, raw: true, transaction: t });
        const now = Date.now();
        const due: number[] = [];
        for (const row of paused) {
          const pausedAt = new Date(row.paused_at ?? now);
          const dueAt = dueAfterPause
            ? await dueAfterPause({ dueAt: new Date(row.due_at), pausedAt })
            : new Date(new Date(row.due_at).getTime() + Math.max(0, now - pausedAt.getTime()));
          const [count] = await models.Timer.update({ status: 'pending', paused_at: null, due_at: dueAt }, { where: { id: row.id, status: 'paused' }, transaction: t });
          if (count) due.push(dueAt.getTime());
        }
        return due;
      });
      if (dueTimes.length) afterCommit(tx, () => scanner.wakeAt(Math.min(...dueTimes)));
      return dueTimes.length;
    },

    /** The subject's timers, newest first. */
    async forSubject(selector: TimerSelector, tx?: Transaction): Promise<TimerView[]> {
      const rows = await models.Timer.findAll({ where: subjectWhere(selector), order: [['id', 'DESC']], raw: true, transaction: tx });
      return rows.map(viewOf);
    },

    /**
     * Registers what runs when a timer of `kind` falls due. It runs inside the transaction that marks
     * the timer fired (use `tx` for every write, and never open another transaction: on SQLite that
     * waits forever); a throw rolls both back and the timer is retried later with backoff. Work
     * outside the database (WeCom messages) belongs in a job enqueued with that `tx`.
     */
    on<P = Record<string, unknown>>(kind: string, handler: TimerHandler<P>): void {
      scanner.register(kind, handler as TimerHandler);
    },

    /** Fires every timer due at `now` (default: the current time); returns how many fired. Tests and scripts call it. */
    scanDue: scanner.scanDue,
    /** Arms in-process wake-ups and fires what fell due while stopped. Called where the scheduler runs. */
    start: scanner.start,
    stop: scanner.stop,
  };
}

export type TimerService = ReturnType<typeof createTimerService>;
