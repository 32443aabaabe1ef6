import { Op, type Transaction } from 'sequelize';
import type { Database } from '../db/database';
import type { Logger } from '../logger';
import type { defineTimerModels, TimerRow } from './timer.models';

export interface DueTimer<P = Record<string, unknown>> {
  id: number;
  kind: string;
  subjectType: string;
  subjectId: string;
  dueAt: Date;
  payload: P;
  /** 1 on the first run, 2 on the first retry … */
  attempt: number;
  dedupeKey: string | null;
}

export type TimerHandler<P = Record<string, unknown>> = (timer: DueTimer<P>, context: { tx: Transaction }) => Promise<void>;

type TimerModels = ReturnType<typeof defineTimerModels>;

/** Timers due within this window get an in-process wake-up; later ones are left to the scan. */
const WAKE_HORIZON_MS = 60_000;
const retryDelayMs = (attempt: number) => Math.min(3600_000, 10_000 * 2 ** (attempt - 1));

/** The due-scan: pending rows with `due_at <= now`, read in due order through the (status, due_at) index. */
export function selectDue(models: TimerModels, now: Date, kinds: string[], limit: number): Promise<TimerRow[]> {
  return models.Timer.findAll({
    where: { status: 'pending', due_at: { [Op.lte]: now }, kind: kinds },
    order: [
      ['due_at', 'ASC'],
      ['id', 'ASC'],
    ],
    limit,
    raw: true,
  });
}

/**
 * Finds due timers and fires each once: the claim (`UPDATE … SET status='fired' WHERE id=? AND
 * status='pending'`) and the handler share one transaction, so a second instance's claim waits for
 * the row and then finds it taken, and a crash or a failing handler undoes both.
 */
export function createTimerScanner(deps: { db: Database; models: TimerModels; log: Logger; instanceId: string; batchSize?: number; maxAttempts?: number }) {
  const { db, models, log, instanceId } = deps;
  const batchSize = deps.batchSize ?? 100;
  const maxAttempts = deps.maxAttempts ?? 10;
  const handlers = new Map<string, TimerHandler>();
  let started = false;
  let wake: { at: number; handle: NodeJS.Timeout } | null = null;
  let scanning: Promise<number> | null = null;
  let again = false;

  async function fire(row: TimerRow, now: Date): Promise<boolean> {
    const handler = handlers.get(row.kind);
    if (!handler) return false;
    const attempt = Number(row.attempts) + 1;
    let claimed = false;
    try {
      await db.transaction(async (tx) => {
        const [count] = await models.Timer.update(
          { status: 'fired', fired_at: new Date(), fired_by: instanceId, attempts: attempt, last_error: null },
          { where: { id: row.id, status: 'pending', due_at: { [Op.lte]: now } }, transaction: tx },
        );
        if (count !== 1) return;
        claimed = true;
        const timer: DueTimer = {
          id: Number(row.id),
          kind: row.kind,
          subjectType: row.subject_type,
          subjectId: row.subject_id,
          dueAt: new Date(row.due_at),
          payload: row.payload ? (JSON.parse(row.payload) as Record<string, unknown>) : {},
          attempt,
          dedupeKey: row.dedupe_key,
        };
        await handler(timer, { tx });
      });
      return claimed;
    } catch (error) {
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      if (!claimed) {
        log.warn({ timerId: Number(row.id), error: message }, 'could not claim a due timer');
        return false;
      }
      const failed = attempt >= maxAttempts;
      log.warn({ timerId: Number(row.id), kind: row.kind, attempt, failed, error: message }, failed ? 'timer handler failed for good' : 'timer handler failed; will retry');
      await db.exclusive(() =>
        models.Timer.update(
          { status: failed ? 'failed' : 'pending', attempts: attempt, last_error: message.slice(0, 4000), ...(!failed && { due_at: new Date(Date.now() + retryDelayMs(attempt)) }) },
          { where: { id: row.id, status: 'pending', attempts: row.attempts } },
        ),
      );
      return false;
    }
  }

  async function scanDue(options: { now?: Date } = {}): Promise<number> {
    const kinds = [...handlers.keys()];
    if (!kinds.length) return 0;
    let fired = 0;
    for (;;) {
      const now = options.now ?? new Date();
      const due = await selectDue(models, now, kinds, batchSize);
      const results = await Promise.all(due.map((row) => fire(row, now)));
      const firedNow = results.filter(Boolean).length;
      fired += firedNow;
      if (due.length < batchSize || firedNow === 0) return fired;
    }
  }

  async function armNext(): Promise<void> {
    const kinds = [...handlers.keys()];
    if (!started || !kinds.length) return;
    const next = await models.Timer.findOne({
      where: { status: 'pending', due_at: { [Op.gt]: new Date() }, kind: kinds },
      order: [['due_at', 'ASC']],
      attributes: ['due_at'],
      raw: true,
    });
    if (next) wakeAt(new Date(next.due_at).getTime());
  }

  /** One scan at a time per instance; a request during a scan runs one more round after it. */
  function tick(): Promise<number> {
    if (scanning) {
      again = true;
      return scanning;
    }
    scanning = (async () => {
      let fired = 0;
      try {
        do {
          again = false;
          fired += await scanDue();
        } while (again);
        await armNext();
      } catch (error) {
        log.error({ err: error }, 'timer scan failed');
      } finally {
        scanning = null;
      }
      return fired;
    })();
    return scanning;
  }

  function wakeAt(at: number): void {
    if (!started) return;
    const delay = Math.max(0, at - Date.now());
    if (delay > WAKE_HORIZON_MS || (wake && wake.at <= at)) return;
    if (wake) clearTimeout(wake.handle);
    // A few milliseconds late, so that `due_at <= now` holds when the scan reads.
    const handle = setTimeout(() => {
      wake = null;
      void tick();
    }, delay + 5);
    handle.unref();
    wake = { at, handle };
  }

  return {
    register(kind: string, handler: TimerHandler): void {
      if (handlers.has(kind)) throw new Error(`timer kind ${kind} already has a handler`);
      handlers.set(kind, handler);
    },
    scanDue,
    tick,
    wakeAt,
    start(): void {
      started = true;
      void tick();
    },
    async stop(): Promise<void> {
      started = false;
      if (wake) clearTimeout(wake.handle);
      wake = null;
      await scanning;
    },
  };
}
