import type { FilterMap, FilterName } from '@scrm/plugin-sdk';

/** What core modules are given to run plugin filters before they act. */
export interface FilterPort {
  run<K extends FilterName>(name: K, input: FilterMap[K]): Promise<FilterMap[K]>;
}

/**
 * A filter port for modules built before the plugin host: it passes inputs through unchanged until
 * the host is built and `use`s its runner.
 */
export function createLateFilterPort(): FilterPort & { use(run: FilterPort['run']): void } {
  let runner: FilterPort['run'] = async (_name, input) => input;
  return {
    run: (name, input) => runner(name, input),
    use(run) {
      runner = run;
    },
  };
}
