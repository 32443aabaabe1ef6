/**
 * A clock for tests: `sleep(ms)` records the wait, moves `now()` forward by `ms`, and yields to the
 * event loop once (so pending I/O can progress) instead of waiting for real.
 */
export function createFakeClock(startMs = Date.UTC(2025, 0, 6, 2, 0, 0)) {
  let current = startMs;
  const sleeps: number[] = [];
  return {
    now: () => current,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      current += ms;
      await new Promise<void>((resolve) => setImmediate(resolve));
    },
    advance(ms: number) {
      current += ms;
    },
    sleeps,
  };
}

export type FakeClock = ReturnType<typeof createFakeClock>;
