import type { Transaction } from 'sequelize';
import { z } from 'zod';
import type { Delivery, EventName, PluginContext, PluginDefinition } from '@scrm/plugin-sdk';
import type { Database } from '../../core/db/database';
import type { JobQueue } from '../../core/jobs/job-queue';
import { DISPATCH_JOB } from './outbox';
import { errorText, withTimeLimit, type FailureRecorder } from './plugin-isolation';
import type { PluginModels, PluginDeliveryRow } from './plugin.models';
import { storeAllowed, type PluginStates } from './plugin-state';

export const DELIVER_JOB = 'plugin.deliver';

export interface DeliveryLimits {
  hookTimeoutMs: number;
  /** Attempts before a delivery is dead-lettered. */
  attempts: number;
}

type AnyHook = (payload: unknown, context: PluginContext, delivery: Delivery) => Promise<void>;

/** The id a plugin sees: the same on every retry and replay of one event to one plugin. */
export const deliveryIdOf = (row: Pick<PluginDeliveryRow, 'event_id' | 'plugin'>) => `${row.event_id}:${row.plugin}`;

/**
 * Delivers outbox events to plugin hooks: one delivery row per (event, plugin), each run as its own
 * job with a time limit, retried with backoff, then dead-lettered (replayable from the console). A
 * delivery already done is never run again; a plugin disabled meanwhile gets it marked skipped.
 */
export function registerDeliveries(deps: {
  db: Database;
  models: PluginModels;
  queue: JobQueue;
  states: PluginStates;
  plugins: () => ReadonlyMap<string, PluginDefinition>;
  contextOf: (plugin: PluginDefinition, settings: Record<string, unknown>) => PluginContext;
  recordFailure: FailureRecorder;
  limits: DeliveryLimits;
}) {
  const { db, models, queue, states, limits } = deps;

  const subscribers = (event: string) => [...deps.plugins().values()].filter((plugin) => typeof plugin.hooks?.[event as EventName] === 'function');

  queue.register({
    type: DISPATCH_JOB,
    payload: z.object({ eventId: z.number().int() }),
    async handle({ eventId }) {
      const event = await models.OutboxEvent.findByPk(eventId, { raw: true });
      if (!event || event.status === 'dispatched') return;
      const storeId = event.store_id === null ? null : Number(event.store_id);
      const targets: string[] = [];
      for (const plugin of subscribers(event.event)) if (storeAllowed(await states.fresh(plugin.name), storeId)) targets.push(plugin.name);
      await db.transaction(async (tx) => {
        // A repeat of this job (a crash after commit) finds the deliveries there and adds none.
        const existing = new Set((await models.PluginDelivery.findAll({ where: { event_id: eventId }, attributes: ['plugin'], raw: true, transaction: tx })).map((d) => d.plugin));
        for (const plugin of targets.filter((name) => !existing.has(name))) {
          const created = await models.PluginDelivery.create({ event_id: eventId, plugin, event: event.event, status: 'pending' }, { transaction: tx });
          await queue.enqueue(DELIVER_JOB, { deliveryId: Number(created.get('id')) }, { transaction: tx, maxAttempts: limits.attempts });
        }
        await models.OutboxEvent.update({ status: 'dispatched' }, { where: { id: eventId }, transaction: tx });
      });
    },
  });

  const settle = (id: number, changes: Partial<PluginDeliveryRow>) => db.exclusive(() => models.PluginDelivery.update(changes, { where: { id } }));

  queue.register({
    type: DELIVER_JOB,
    payload: z.object({ deliveryId: z.number().int() }),
    maxAttempts: limits.attempts,
    async handle({ deliveryId }, job) {
      const delivery = await models.PluginDelivery.findByPk(deliveryId, { raw: true });
      if (!delivery || delivery.status !== 'pending') return;
      const plugin = deps.plugins().get(delivery.plugin);
      const hook = plugin?.hooks?.[delivery.event as EventName] as AnyHook | undefined;
      const event = await models.OutboxEvent.findByPk(delivery.event_id, { raw: true });
      const state = await states.fresh(delivery.plugin);
      const storeId = event?.store_id === null || event?.store_id === undefined ? null : Number(event.store_id);
      if (!plugin || !hook || !event || !storeAllowed(state, storeId)) {
        await settle(deliveryId, { status: 'skipped', last_error: !plugin || !hook ? 'the plugin or its hook is no longer installed' : 'the plugin was disabled for this event' });
        return;
      }
      await settle(deliveryId, { attempts: Number(delivery.attempts) + 1 });
      const meta: Delivery = { id: deliveryIdOf(delivery), attempt: Number(delivery.attempts) + 1, occurredAt: new Date(event.occurred_at).toISOString() };
      try {
        const context = deps.contextOf(plugin, state.settings);
        await withTimeLimit(() => hook(JSON.parse(event.payload), context, meta), limits.hookTimeoutMs, `hook ${delivery.event}`);
      } catch (error) {
        const dead = job.attempt >= limits.attempts;
        await settle(deliveryId, { last_error: errorText(error), ...(dead && { status: 'dead' }) });
        await deps.recordFailure(delivery.plugin, 'hook', delivery.event, error);
        throw error;
      }
      await settle(deliveryId, { status: 'done', delivered_at: new Date(), last_error: null });
    },
  });

  return {
    /** Sends a dead (or skipped) delivery again; it keeps its delivery id. */
    async replay(deliveryId: number, tx: Transaction): Promise<boolean> {
      const delivery = await models.PluginDelivery.findByPk(deliveryId, { raw: true, transaction: tx });
      if (!delivery || (delivery.status !== 'dead' && delivery.status !== 'skipped')) return false;
      const replays = Number(delivery.replays) + 1;
      await models.PluginDelivery.update({ status: 'pending', replays }, { where: { id: deliveryId }, transaction: tx });
      await queue.enqueue(DELIVER_JOB, { deliveryId }, { transaction: tx, maxAttempts: limits.attempts, dedupeKey: `plugin-delivery:${deliveryId}:${replays}` });
      return true;
    },
  };
}

export type PluginDeliveries = ReturnType<typeof registerDeliveries>;
