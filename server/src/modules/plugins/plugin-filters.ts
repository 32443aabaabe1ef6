import type { FilterMap, FilterName, PluginContext, PluginDefinition } from '@scrm/plugin-sdk';
import { AppError } from '../../core/errors';
import { withTimeLimit, type FailureRecorder } from './plugin-isolation';
import { storeAllowed, type PluginStates } from './plugin-state';

class FilterVeto extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

type AnyFilter = (input: unknown, context: PluginContext & { veto(reason: string): never }) => Promise<unknown>;

const storeOf = (input: unknown): number | null => {
  const storeId = (input as { storeId?: unknown }).storeId;
  return typeof storeId === 'number' ? storeId : null;
};

/**
 * Runs a filter through every enabled plugin that declares it, in plugin order. Each has a time
 * limit; one that throws or times out is skipped and counted, so a broken plugin never fails the core
 * action. A veto refuses the action with a 422 naming the plugin.
 */
export function createFilterRunner(deps: {
  plugins: () => ReadonlyMap<string, PluginDefinition>;
  states: PluginStates;
  contextOf: (plugin: PluginDefinition, settings: Record<string, unknown>) => PluginContext;
  recordFailure: FailureRecorder;
  timeoutMs: number;
}) {
  return async function runFilter<K extends FilterName>(name: K, input: FilterMap[K]): Promise<FilterMap[K]> {
    let value = input;
    for (const plugin of deps.plugins().values()) {
      const filter = plugin.filters?.[name] as AnyFilter | undefined;
      if (!filter) continue;
      const state = await deps.states.cached(plugin.name);
      if (!storeAllowed(state, storeOf(value))) continue;
      const context = Object.assign(deps.contextOf(plugin, state.settings), {
        veto(reason: string): never {
          throw new FilterVeto(reason);
        },
      });
      try {
        const changed = await withTimeLimit(() => filter(structuredClone(value), context), deps.timeoutMs, `filter ${name}`);
        if (changed !== null && typeof changed === 'object') value = changed as FilterMap[K];
      } catch (error) {
        if (error instanceof FilterVeto) throw new AppError('UNPROCESSABLE', `refused by plugin ${plugin.name}: ${error.reason}`, { plugin: plugin.name, filter: name });
        void deps.recordFailure(plugin.name, 'filter', name, error);
      }
    }
    return value;
  };
}

export type FilterRunner = ReturnType<typeof createFilterRunner>;
