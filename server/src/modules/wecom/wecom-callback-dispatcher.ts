import type { Database } from '../../core/db/database';
import type { Models } from '../../core/db/models';
import type { JobQueue } from '../../core/jobs/job-queue';
import type { Logger } from '../../core/logger';

export const PROCESS_JOB = 'wecom.callback.process';
const BATCH = 100;
const DISPATCH_DELAY_MS = 250;

/**
 * Turns stored callbacks that have no job yet into processing jobs, up to BATCH callbacks per job.
 * Runs shortly after deliveries (one timer for many) and on a schedule, so that a callback stored by
 * an instance that died before dispatching it is picked up by another.
 */
export function createCallbackDispatcher(deps: { db: Database; models: Models; queue: JobQueue; log: Logger }) {
  const { db, models, queue, log } = deps;
  let timer: NodeJS.Timeout | null = null;
  let dispatching: Promise<number> | null = null;

  function dispatchPending(): Promise<number> {
    dispatching ??= (async () => {
      let total = 0;
      try {
        for (;;) {
          const batch = await db.transaction(async (tx) => {
            const rows = await models.WecomCallback.findAll({
              where: { job_id: null },
              attributes: ['id'],
              order: [['id', 'ASC']],
              limit: BATCH,
              raw: true,
              transaction: tx,
              lock: db.dialect === 'mysql' ? tx.LOCK.UPDATE : undefined,
              skipLocked: db.dialect === 'mysql',
            });
            if (!rows.length) return 0;
            const ids = rows.map((r) => Number(r.id));
            const jobId = await queue.enqueue(PROCESS_JOB, { callbackIds: ids }, { transaction: tx, maxAttempts: 10 });
            await models.WecomCallback.update({ job_id: jobId }, { where: { id: ids }, transaction: tx });
            return ids.length;
          });
          total += batch;
          if (batch < BATCH) return total;
        }
      } finally {
        dispatching = null;
      }
    })();
    return dispatching;
  }

  return {
    dispatchPending,
    schedule(): void {
      timer ??= setTimeout(() => {
        timer = null;
        dispatchPending().catch((error: unknown) => log.error({ err: error }, 'dispatching WeCom callbacks failed'));
      }, DISPATCH_DELAY_MS);
    },
    /** Cancels the pending dispatch and waits for one in progress (graceful shutdown). */
    async stop(): Promise<void> {
      if (timer) clearTimeout(timer);
      timer = null;
      await dispatching;
    },
  };
}
