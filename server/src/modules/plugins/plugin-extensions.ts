import type { Transaction } from 'sequelize';
import type { PluginContext, PluginDefinition, PluginNode } from '@scrm/plugin-sdk';
import type { Scheduler } from '../../core/jobs/scheduler';
import { AppError } from '../../core/errors';
import { defineAsyncAutomaticStep, defineAutomaticStep, type AsyncAutomaticStep, type AutomaticStep } from '../workflows/automatic-steps';
import { withTimeLimit, type FailureRecorder } from './plugin-isolation';
import { storeAllowed, type PluginStates } from './plugin-state';

interface ExtensionDeps {
  states: PluginStates;
  contextOf: (plugin: PluginDefinition, settings: Record<string, unknown>, tx?: Transaction) => PluginContext;
  recordFailure: FailureRecorder;
  timeoutMs: number;
}

/** Cron jobs as `plugin:<plugin>:<job>`: elected once per tick across instances; skipped while the plugin is disabled. */
export function registerPluginJobs(scheduler: Scheduler, plugin: PluginDefinition, deps: ExtensionDeps): void {
  for (const job of plugin.jobs ?? []) {
    scheduler.register({
      name: `plugin:${plugin.name}:${job.name}`,
      schedule: job.cron,
      async run() {
        const state = await deps.states.fresh(plugin.name);
        if (!state.enabled) return;
        try {
          await withTimeLimit(() => job.run(deps.contextOf(plugin, state.settings) as PluginContext<unknown>), deps.timeoutMs, `job ${job.name}`);
        } catch (error) {
          await deps.recordFailure(plugin.name, 'job', job.name, error);
        }
      },
    });
  }
}

/**
 * Node steps as `<plugin>.<node>` in the automatic-step registry. A sync step runs in the transaction
 * entering the node, with a context bound to it; an async step runs from the work-order runtime's
 * job, with the visit's idempotency key. Both refuse to run while the plugin is disabled for the
 * order's store, so the order waits rather than skipping the work; compensation always runs.
 */
export function pluginStepOf(plugin: PluginDefinition, node: PluginNode<unknown, Record<string, unknown>>, deps: ExtensionDeps): AutomaticStep {
  const name = `${plugin.name}.${node.name}`;
  const settingsOf = async (storeId: number) => {
    const state = await deps.states.fresh(plugin.name);
    if (!storeAllowed(state, storeId)) throw new AppError('CONFLICT', `plugin ${plugin.name} is not enabled for store ${storeId}`);
    return state.settings;
  };
  const guarded = async <T>(work: () => Promise<T>) => {
    try {
      return await withTimeLimit(work, deps.timeoutMs, `step ${name}`);
    } catch (error) {
      void deps.recordFailure(plugin.name, 'node', node.name, error);
      throw error;
    }
  };
  const identity = { name, title: node.title, settings: node.settings };
  if (node.mode === 'sync') {
    return defineAutomaticStep<Record<string, unknown>>({
      ...identity,
      async run({ order, settings, tx }) {
        const context = deps.contextOf(plugin, await settingsOf(order.storeId), tx) as PluginContext<unknown>;
        return guarded(() => node.run({ workOrderId: order.id, nodeKey: order.nodeKey, settings }, context));
      },
    });
  }
  const compensate = node.compensate;
  const step: AsyncAutomaticStep<Record<string, unknown>> = {
    ...identity,
    mode: 'async',
    timeoutMs: deps.timeoutMs,
    async run({ order, settings, idempotencyKey, attempt }) {
      const context = deps.contextOf(plugin, await settingsOf(order.storeId)) as PluginContext<unknown>;
      return guarded(() => node.run({ workOrderId: order.id, nodeKey: order.nodeKey, settings, idempotencyKey, attempt }, context));
    },
  };
  if (compensate) {
    step.compensate = async ({ order, settings, result, idempotencyKey, attempt }) => {
      const context = deps.contextOf(plugin, (await deps.states.fresh(plugin.name)).settings) as PluginContext<unknown>;
      await guarded(() => compensate({ workOrderId: order.id, nodeKey: order.nodeKey, settings, result, idempotencyKey, attempt }, context));
    };
  }
  return defineAsyncAutomaticStep(step);
}
