import { createStatementBatcher, type BatchOptions } from './statement-batcher';

/**
 * Group commit for a hot insert path: a statement batcher whose statements write, up to 4 at once by
 * default. Each caller's promise settles when the statement holding its item has committed, so
 * nothing is acknowledged before it is durable, and a quiet path adds no latency.
 */
export function createWriteBatcher<T>(flush: (items: T[]) => Promise<void>, options: BatchOptions = {}) {
  const batcher = createStatementBatcher<T, void>(async (items) => {
    await flush(items);
    return items.map(() => undefined);
  }, { maxInFlight: 4, ...options });
  return { write: (item: T): Promise<void> => batcher.submit(item) };
}
