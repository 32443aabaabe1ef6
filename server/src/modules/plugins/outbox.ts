import type { Transaction } from 'sequelize';
import type { EventMap, EventName } from '@scrm/plugin-sdk';
import { insertRows } from '../../core/db/raw-rows';
import type { JobQueue } from '../../core/jobs/job-queue';
import type { PluginModels } from './plugin.models';

export const DISPATCH_JOB = 'plugin.dispatch';

/** The store an event concerns, when its payload names one (for per-store rollout). */
const storeOf = (payload: unknown): number | null => {
  const storeId = (payload as { storeId?: unknown }).storeId;
  return typeof storeId === 'number' ? storeId : null;
};

/**
 * The outbox: core changes record their events in the same transaction as the change, so a rolled
 * back change emits nothing and a committed one is never lost. The fan-out to plugins runs as a job
 * after commit. Events no installed plugin listens to are not recorded at all.
 */
export function createOutbox(deps: { models: PluginModels; queue: JobQueue }) {
  let listened: (event: EventName) => boolean = () => false;
  /** Core subscribers: per event, the job types that receive `{ eventId }` after commit (at least once). */
  const internal = new Map<EventName, string[]>();

  return {
    /** Set by the plugin host once it knows which events its plugins hook. */
    useListeners(isListened: (event: EventName) => boolean): void {
      listened = isListened;
    },

    /**
     * A core module receiving events as the plugins do: after commit, at least once, as a job of
     * `jobType` with payload `{ eventId }` (the job reads the outbox row, so it must be idempotent).
     */
    subscribe(events: readonly EventName[], jobType: string): void {
      for (const event of events) internal.set(event, [...(internal.get(event) ?? []), jobType]);
    },

    /** Returns the outbox row's id, or null when no plugin or core subscriber listens (nothing is written then). */
    async emit<K extends EventName>(event: K, payload: EventMap[K], tx: Transaction): Promise<number | null> {
      const jobs = internal.get(event) ?? [];
      const forPlugins = listened(event);
      // Hot paths (node transitions, callbacks) emit on every change: skip the write when nobody listens.
      if (!forPlugins && !jobs.length) return null;
      // an event only core subscribers take has no plugin fan-out to wait for
      const { insertId: id } = await insertRows(deps.models.OutboxEvent, [{ event, payload: JSON.stringify(payload), store_id: storeOf(payload), occurred_at: new Date(), status: forPlugins ? 'pending' : 'dispatched' }], tx);
      if (forPlugins) await deps.queue.enqueue(DISPATCH_JOB, { eventId: id }, { transaction: tx });
      for (const jobType of jobs) await deps.queue.enqueue(jobType, { eventId: id }, { transaction: tx });
      return id;
    },
  };
}

export type Outbox = ReturnType<typeof createOutbox>;
/** What core modules are given: only the means to emit. */
export type EventEmitter = Pick<Outbox, 'emit'>;
