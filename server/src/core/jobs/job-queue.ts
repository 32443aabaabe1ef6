import { col, Op, type Transaction } from 'sequelize';
import type { z } from 'zod';
import { findPage } from '../db/find-page';
import { insertRows } from '../db/raw-rows';
import type { Logger } from '../logger';
import type { JobModels, JobRow, JobStatus } from './job.models';

export interface JobHandler<T> {
  type: string;
  payload: z.ZodType<T>;
  maxAttempts?: number;
  handle(payload: T, job: RunningJob): Promise<void>;
}

export interface RunningJob {
  id: number;
  attempt: number;
  /** Extends the claim now; the queue also renews it every third of a lease while the handler runs. */
  renewLease(): Promise<void>;
}

export interface EnqueueOptions {
  transaction?: Transaction;
  runAt?: Date;
  /** A second enqueue with the same key is ignored while the first exists. */
  dedupeKey?: string;
  maxAttempts?: number;
}

export interface JobQueueOptions {
  models: JobModels;
  log: Logger;
  instanceId: string;
  pollMs: number;
  leaseMs?: number;
  batchSize?: number;
}

const backoffMs = (attempt: number) => Math.min(10 * 60_000, 1000 * 2 ** (attempt - 1)) + Math.floor(Math.random() * 250);
/** Tries to record a job's outcome (≈ 30 s in all) before leaving it to its lease, e.g. through a database outage. */
const RECORD_DELAYS_MS = [200, 400, 800, 1600, 3200, 6400, 8000, 8000];

/**
 * Durable background work. Accepted work is a row before anyone is told it was accepted; workers on
 * any instance claim due rows, retry failures with exponential backoff, and park a job as `dead`
 * (visible to admins, retryable) after its last attempt. A crashed worker's claim expires and the
 * job runs again, so handlers must be idempotent.
 */
export function createJobQueue(options: JobQueueOptions) {
  const { models, log, instanceId, pollMs } = options;
  const leaseMs = options.leaseMs ?? 5 * 60_000;
  const batchSize = options.batchSize ?? 10;
  const handlers = new Map<string, JobHandler<unknown>>();
  /** Turn stored deliveries into jobs; run at the start of every tick by whichever process runs jobs. */
  const feeders: Array<() => Promise<unknown>> = [];
  const inFlight = new Set<Promise<void>>();
  let timer: NodeJS.Timeout | undefined;
  let ticking: Promise<void> | null = null;
  let running = false;
  let started = false;
  let stopping = false;

  async function claim(): Promise<JobRow[]> {
    const now = new Date();
    // A running job whose lease ran out belongs to a worker that died: it is due again.
    // A job whose worker died mid-run has used its attempt; one that keeps killing workers goes dead.
    const expired = { status: 'running', locked_until: { [Op.lt]: now } };
    await models.Job.update({ status: 'dead', locked_by: null, locked_until: null, last_error: 'worker stopped while running it' }, { where: { ...expired, attempts: { [Op.gte]: col('max_attempts') } } });
    await models.Job.update({ status: 'pending', locked_by: null, locked_until: null }, { where: expired });
    const due = await models.Job.findAll({
      where: { status: 'pending', run_at: { [Op.lte]: now }, type: [...handlers.keys()] },
      order: [['run_at', 'ASC'], ['id', 'ASC']],
      limit: batchSize,
      raw: true,
    });
    const claimed: JobRow[] = [];
    for (const job of due) {
      const [count] = await models.Job.update(
        { status: 'running', locked_by: instanceId, locked_until: new Date(Date.now() + leaseMs), attempts: Number(job.attempts) + 1 },
        { where: { id: job.id, status: 'pending', attempts: job.attempts } },
      );
      if (count === 1) claimed.push({ ...job, attempts: Number(job.attempts) + 1 });
    }
    return claimed;
  }

  /**
   * Writes a job's outcome, retrying with backoff: a finish lost to a short database outage would
   * otherwise leave the job `running` until its lease expires. If every try fails, the lease decides.
   */
  async function record(job: JobRow, outcome: Partial<JobRow>): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await models.Job.update(outcome, { where: { id: job.id, locked_by: instanceId } });
        return;
      } catch (error) {
        const delay = RECORD_DELAYS_MS[attempt];
        if (delay === undefined || stopping) {
          log.error({ err: error, jobId: Number(job.id), status: outcome.status }, 'could not record the job outcome; it runs again once its lease expires');
          return;
        }
        await new Promise((retry) => setTimeout(retry, delay));
      }
    }
  }

  async function execute(job: JobRow): Promise<void> {
    const handler = handlers.get(job.type);
    const renewLease = async () => {
      await models.Job.update({ locked_until: new Date(Date.now() + leaseMs) }, { where: { id: job.id, locked_by: instanceId } });
    };
    // Kept alive while the handler runs, also while it waits (for a lock, a rate budget) without
    // renewing itself; a worker that dies stops renewing, and the job runs again after its lease.
    const heartbeat = setInterval(() => renewLease().catch((error: unknown) => log.warn({ err: error, jobId: Number(job.id) }, 'could not renew a job lease')), Math.max(100, Math.floor(leaseMs / 3)));
    heartbeat.unref();
    try {
      if (!handler) throw new Error(`no handler for job type ${job.type}`);
      const payload = handler.payload.parse(JSON.parse(job.payload));
      await handler.handle(payload, { id: Number(job.id), attempt: job.attempts, renewLease });
      clearInterval(heartbeat);
      await record(job, { status: 'done', locked_by: null, locked_until: null, last_error: null });
    } catch (error) {
      clearInterval(heartbeat);
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      const dead = job.attempts >= Number(job.max_attempts);
      log.warn({ jobId: Number(job.id), type: job.type, attempt: job.attempts, dead, error: message }, dead ? 'job failed for good' : 'job failed; will retry');
      await record(job, {
        status: dead ? 'dead' : 'pending',
        locked_by: null,
        locked_until: null,
        last_error: message.slice(0, 4000),
        run_at: dead ? new Date() : new Date(Date.now() + backoffMs(job.attempts)),
      });
    }
  }

  /** Claims and runs one batch; returns how many jobs ran. A worker that is not started leaves work to drain(). */
  async function runOnce(): Promise<number> {
    const jobs = await claim();
    await Promise.all(jobs.map((job) => track(execute(job))));
    return jobs.length;
  }

  function track(work: Promise<void>): Promise<void> {
    inFlight.add(work);
    return work.finally(() => inFlight.delete(work));
  }

  function tick(): Promise<void> {
    if (!started || running || stopping) return ticking ?? Promise.resolve();
    running = true;
    ticking = (async () => {
      try {
        for (const feed of feeders) await feed().catch((error: unknown) => log.error({ err: error }, 'feeding the job queue failed'));
        while (!stopping && (await runOnce()) > 0);
      } catch (error) {
        log.error({ err: error }, 'job worker tick failed');
      } finally {
        running = false;
      }
    })();
    return ticking;
  }

  return {
    /**
     * Registers work that creates jobs from stored deliveries (an inbox). Every process that runs jobs
     * runs it at each poll, so deliveries stored by instances that only answer requests are picked up.
     */
    addFeeder(feed: () => Promise<unknown>): void {
      feeders.push(feed);
    },

    /** Whether this process runs jobs (start() was called). */
    get runsJobs(): boolean {
      return started && !stopping;
    },

    register<T>(handler: JobHandler<T>): void {
      if (handlers.has(handler.type)) throw new Error(`job type ${handler.type} is already registered`);
      handlers.set(handler.type, handler as JobHandler<unknown>);
    },

    async enqueue<T>(type: string, payload: T, opts: EnqueueOptions = {}): Promise<number | null> {
      const handler = handlers.get(type);
      if (!handler) throw new Error(`unknown job type ${type}`);
      const checked = handler.payload.parse(payload);
      if (opts.dedupeKey) {
        const existing = await models.Job.findOne({ where: { dedupe_key: opts.dedupeKey }, raw: true, transaction: opts.transaction });
        if (existing) return null;
      }
      const row = {
        type,
        payload: JSON.stringify(checked),
        status: 'pending' as const,
        attempts: 0,
        max_attempts: opts.maxAttempts ?? handler.maxAttempts ?? 8,
        run_at: opts.runAt ?? new Date(),
        dedupe_key: opts.dedupeKey ?? null,
      };
      // In a transaction (work enqueued with the change that caused it, the common case) the row goes
      // through the driver, which costs a fraction of a model write; on its own it stays a model write,
      // which on SQLite waits for the writer like any other.
      const id = opts.transaction ? (await insertRows(models.Job, [row], opts.transaction)).insertId : Number((await models.Job.create(row)).get('id'));
      if (opts.transaction) opts.transaction.afterCommit(() => void tick());
      else void tick();
      return id;
    },

    /** Runs every due job until none is left (tests and CLI use this instead of waiting). */
    async drain(): Promise<number> {
      let total = 0;
      for (let ran = await runOnce(); ran > 0; ran = await runOnce()) total += ran;
      return total;
    },

    async retry(id: number): Promise<boolean> {
      const [count] = await models.Job.update({ status: 'pending', attempts: 0, run_at: new Date(), last_error: null }, { where: { id, status: 'dead' } });
      if (count) void tick();
      return count === 1;
    },

    async list(filter: { status?: JobStatus; type?: string }, range: { offset: number; limit: number }) {
      const where = { ...(filter.status && { status: filter.status }), ...(filter.type && { type: filter.type }) };
      const { rows, count } = await findPage(models.Job, { where, order: [['id', 'DESC']], offset: range.offset, limit: range.limit, raw: true });
      return { rows, total: count };
    },

    start(): void {
      started = true;
      stopping = false;
      timer = setInterval(() => void tick(), pollMs);
      timer.unref();
      void tick();
    },

    /** Stops claiming work and waits for jobs already running. */
    async stop(): Promise<void> {
      stopping = true;
      if (timer) clearInterval(timer);
      await ticking;
      await Promise.allSettled([...inFlight]);
    },
  };
}

export type JobQueue = ReturnType<typeof createJobQueue>;
