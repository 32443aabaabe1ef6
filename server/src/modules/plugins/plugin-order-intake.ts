import type { CommerceOrder, PluginContext, PluginDefinition, StoredOrderDelivery } from '@scrm/plugin-sdk';
import { withTimeLimit, type FailureRecorder } from './plugin-isolation';
import type { PluginStates } from './plugin-state';

/**
 * Reads a stored order delivery with the connector plugin that received it (`orderIntake.toOrder`),
 * under the plugin's time limit. A plugin that is missing or disabled throws, so the delivery waits
 * (retried, then a replayable dead letter) rather than being dropped; a plugin failure is counted.
 */
export function createOrderDeliveryReader(deps: {
  plugins: () => ReadonlyMap<string, PluginDefinition>;
  states: PluginStates;
  contextOf: (plugin: PluginDefinition, settings: Record<string, unknown>) => PluginContext;
  recordFailure: FailureRecorder;
  timeoutMs: number;
}) {
  return async function readOrderDelivery(platform: string, delivery: StoredOrderDelivery): Promise<CommerceOrder | null> {
    const plugin = deps.plugins().get(platform);
    const intake = plugin?.orderIntake;
    if (!plugin || !intake) throw new Error(`no connector plugin "${platform}" reads order deliveries on this server`);
    const state = await deps.states.cached(platform);
    if (!state.enabled) throw new Error(`plugin ${platform} is disabled: its order deliveries wait until it is enabled again`);
    try {
      return await withTimeLimit(() => intake.toOrder(delivery, deps.contextOf(plugin, state.settings)), deps.timeoutMs, 'order intake');
    } catch (error) {
      void deps.recordFailure(platform, 'job', 'order-intake', error);
      throw error;
    }
  };
}
