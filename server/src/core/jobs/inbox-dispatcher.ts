import type { Database } from '../db/database';
import type { AnyTableModel } from '../db/define-table';
import type { Logger } from '../logger';
import type { JobQueue } from './job-queue';

/** A table of stored deliveries (an inbox): each row waits for a processing job (`job_id`). */
interface InboxRow {
  id: number;
  job_id: number | null;
}

/** Jobs created per claiming transaction. */
const JOBS_PER_CLAIM = 10;

/**
 * Turns stored deliveries that have no job yet into processing jobs, up to `batch` rows per job and up
 * to JOBS_PER_CLAIM jobs per transaction (a burst costs one claim, not one per job). Every
 * process that runs jobs does it at each poll of its queue, so deliveries stored by an instance that
 * only answers requests (or died before anything was done with them) are picked up; a process that
 * runs jobs itself also does it shortly after its own deliveries (one timer for many).
 */
export function createInboxDispatcher<Row extends InboxRow>(deps: {
  db: Database;
  queue: JobQueue;
  log: Logger;
  inbox: AnyTableModel<Row>;
  /** The job that processes a batch, and its payload for the rows' ids. */
  job: { type: string; payload: (ids: number[]) => unknown; maxAttempts: number };
  batch?: number;
  delayMs?: number;
}) {
  const { db, queue, log, job } = deps;
  // Only the two columns every inbox has are used.
  const inbox = deps.inbox as unknown as AnyTableModel<InboxRow>;
  const batchSize = deps.batch ?? 100;
  const claimSize = batchSize * JOBS_PER_CLAIM;
  let timer: NodeJS.Timeout | null = null;
  let dispatching: Promise<number> | null = null;
  const pendingExists = async () => (await inbox.findOne({ where: { job_id: null }, attributes: ['id'], raw: true })) !== null;

  function dispatchPending(): Promise<number> {
    dispatching ??= (async () => {
      let total = 0;
      try {
        for (;;) {
          // READ COMMITTED: under REPEATABLE READ the locking read gap-locks the end of the job_id
          // index, where every new delivery is inserted, so deliveries on all instances would wait.
          const batch = await db.transaction(
            async (tx) => {
              const rows = await inbox.findAll({
                where: { job_id: null },
                attributes: ['id'],
                order: [['id', 'ASC']],
                limit: claimSize,
                raw: true,
                transaction: tx,
                lock: db.dialect === 'mysql' ? tx.LOCK.UPDATE : undefined,
                skipLocked: db.dialect === 'mysql',
              });
              const ids = rows.map((r) => Number(r.id));
              for (let start = 0; start < ids.length; start += batchSize) {
                const chunk = ids.slice(start, start + batchSize);
                const jobId = await queue.enqueue(job.type, job.payload(chunk), { transaction: tx, maxAttempts: job.maxAttempts });
                await inbox.update({ job_id: jobId }, { where: { id: chunk }, transaction: tx });
              }
              return ids.length;
            },
            { readCommitted: true },
          );
          total += batch;
          if (batch < claimSize) return total;
        }
      } finally {
        dispatching = null;
      }
    })();
    return dispatching;
  }

  // The queue's poll first looks without a lock or a transaction: an idle inbox costs one indexed read.
  queue.addFeeder(async () => (await pendingExists()) && dispatchPending());

  return {
    dispatchPending,
    /** After a delivery: dispatch soon, if this process runs jobs (otherwise the workers' polls do). */
    schedule(): void {
      if (!queue.runsJobs) return;
      timer ??= setTimeout(() => {
        timer = null;
        dispatchPending().catch((error: unknown) => log.error({ err: error, job: job.type }, 'dispatching stored deliveries failed'));
      }, deps.delayMs ?? 250);
    },
    /** Cancels the pending dispatch and waits for one in progress (graceful shutdown). */
    async stop(): Promise<void> {
      if (timer) clearTimeout(timer);
      timer = null;
      await dispatching;
    },
  };
}

export type InboxDispatcher = ReturnType<typeof createInboxDispatcher>;
