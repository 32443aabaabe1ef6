import { AsyncResource } from 'node:async_hooks';

export interface BatchOptions {
  maxBatch?: number;
  maxInFlight?: number;
}

/**
 * Group execution for a hot statement: requests go out at once while fewer than `maxInFlight` (1)
 * statements are running; those that arrive meanwhile wait and then go out together, up to
 * `maxBatch` per statement. `run` answers a batch with one result per item, in order. A waiting
 * request is sent only after it was made, so a read sees every write committed before it asked; a
 * quiet path adds no latency, and a busy one sends fewer statements the busier it gets. A batch runs
 * in the context the batcher was made in, not in one caller's (no caller's read-replica scope or
 * request context decides where the others' statement goes).
 */
export function createStatementBatcher<T, R>(run: (items: T[]) => Promise<R[]>, options: BatchOptions = {}) {
  const maxBatch = options.maxBatch ?? 100;
  const maxInFlight = options.maxInFlight ?? 1;
  let queued: Array<{ item: T; done: (result: R) => void; fail: (error: unknown) => void }> = [];
  let inFlight = 0;

  async function sendQueued() {
    inFlight += 1;
    while (queued.length) {
      const batch = queued.slice(0, maxBatch);
      queued = queued.slice(batch.length);
      try {
        const results = await run(batch.map((entry) => entry.item));
        batch.forEach((entry, i) => entry.done(results[i] as R));
      } catch (error) {
        for (const entry of batch) entry.fail(error);
      }
    }
    inFlight -= 1;
  }

  const sendQueuedHere = AsyncResource.bind(sendQueued);

  return {
    submit(item: T): Promise<R> {
      return new Promise<R>((done, fail) => {
        queued.push({ item, done, fail });
        if (inFlight < maxInFlight) void sendQueuedHere();
      });
    },
  };
}

/**
 * Rows by id for many callers at once: each asks for its ids (nulls and repeats are skipped), one
 * statement fetches the union of a batch's ids, and each caller gets the rows of its own.
 */
export function createRowsByIdBatcher<Row>(read: (ids: number[]) => Promise<Row[]>, idOf: (row: Row) => number, options: BatchOptions = {}) {
  const batcher = createStatementBatcher<number[], Row[]>(async (requests) => {
    const rows = await read([...new Set(requests.flat())]);
    const byId = new Map(rows.map((row) => [idOf(row), row]));
    return requests.map((ids) => ids.flatMap((id) => (byId.has(id) ? [byId.get(id) as Row] : [])));
  }, options);
  /** The rows of `ids` (those that exist), without asking the database when there are none. */
  return (ids: Array<number | null>): Promise<Row[]> => {
    const wanted = [...new Set(ids.filter((id): id is number => id !== null).map(Number))];
    return wanted.length ? batcher.submit(wanted) : Promise.resolve([]);
  };
}
