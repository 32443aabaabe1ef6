/**
 * Group commit for a hot insert path: writes go out at once while fewer than `maxInFlight`
 * statements are running; writes that arrive meanwhile wait and then go out together, up to
 * `maxBatch` per statement. Each caller's promise settles when the statement holding its item has
 * committed, so nothing is acknowledged before it is durable, and a quiet path adds no latency.
 */
export function createWriteBatcher<T>(flush: (items: T[]) => Promise<void>, options: { maxBatch?: number; maxInFlight?: number } = {}) {
  const maxBatch = options.maxBatch ?? 100;
  const maxInFlight = options.maxInFlight ?? 4;
  let queued: Array<{ item: T; done: () => void; fail: (error: unknown) => void }> = [];
  let inFlight = 0;

  async function flushNext() {
    inFlight += 1;
    while (queued.length) {
      const batch = queued.slice(0, maxBatch);
      queued = queued.slice(batch.length);
      try {
        await flush(batch.map((entry) => entry.item));
        for (const entry of batch) entry.done();
      } catch (error) {
        for (const entry of batch) entry.fail(error);
      }
    }
    inFlight -= 1;
  }

  return {
    write(item: T): Promise<void> {
      return new Promise<void>((done, fail) => {
        queued.push({ item, done, fail });
        if (inFlight < maxInFlight) void flushNext();
      });
    },
  };
}
