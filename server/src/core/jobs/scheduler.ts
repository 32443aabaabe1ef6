import cron, { type RunCoordinator, type ScheduledTask } from 'node-cron';
import type { KeyValueStore } from '../kv/kv-store';
import type { Logger } from '../logger';
import type { JobModels } from './job.models';

export const BUSINESS_TIME_ZONE = 'Asia/Shanghai';

export interface CronJob {
  /** Stable name; it keys the once-per-tick election across instances. */
  name: string;
  /** Cron expression (5 or 6 fields), read in Asia/Shanghai. */
  schedule: string;
  run(tick: Date): Promise<unknown>;
}

/**
 * Elects one instance per tick: the first to set `cron:<name>:<tick>` runs it; the key outlives the
 * tick so a late instance cannot run it again. Redis makes this hold across instances.
 */
export const kvRunCoordinator = (kv: KeyValueStore, instanceId: string): RunCoordinator => ({
  shouldRun: (key, ttlMs) => kv.setIfAbsent(`cron:${key}`, instanceId, Math.max(ttlMs, 60_000)),
});

export function createScheduler(deps: { kv: KeyValueStore; models: JobModels; log: Logger; instanceId: string; overrides?: Record<string, string> }) {
  const { kv, models, log, instanceId } = deps;
  const jobs: CronJob[] = [];
  const tasks: ScheduledTask[] = [];
  const running = new Set<Promise<void>>();
  const coordinator = kvRunCoordinator(kv, instanceId);

  async function runTick(job: CronJob, tick: Date) {
    const record = await models.CronRun.create({ job: job.name, tick_at: tick, instance_id: instanceId, status: 'running', started_at: new Date() });
    try {
      await job.run(tick);
      await record.update({ status: 'done', finished_at: new Date() });
    } catch (error) {
      log.error({ err: error, job: job.name }, 'scheduled job failed');
      await record.update({ status: 'failed', finished_at: new Date(), error: error instanceof Error ? error.message : String(error) });
    }
  }

  function track(run: Promise<void>): Promise<void> {
    running.add(run);
    return run.finally(() => running.delete(run));
  }

  return {
    register(job: CronJob): void {
      const schedule = deps.overrides?.[job.name] ?? job.schedule;
      if (!cron.validate(schedule)) throw new Error(`scheduled job ${job.name}: invalid cron expression "${schedule}"`);
      jobs.push({ ...job, schedule });
    },

    start(): void {
      for (const job of jobs) {
        tasks.push(
          cron.schedule(job.schedule, (context) => track(runTick(job, context.date)), {
            name: job.name,
            timezone: BUSINESS_TIME_ZONE,
            noOverlap: true,
            distributed: true,
            runCoordinator: coordinator,
          }),
        );
      }
    },

    /** Stops the timers and waits for ticks already running. */
    async stop(): Promise<void> {
      await Promise.all(tasks.splice(0).map((task) => task.destroy()));
      await Promise.allSettled([...running]);
    },
  };
}

export type Scheduler = ReturnType<typeof createScheduler>;
