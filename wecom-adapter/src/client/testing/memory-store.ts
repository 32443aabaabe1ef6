import { type SharedStore } from '../../shared-store';

/**
 * In-memory SharedStore for tests, with an injectable clock so TTLs follow fake time. Every method
 * resolves asynchronously (like Redis would), so races between callers stay possible in tests.
 */
export function createMemoryStore(now: () => number = Date.now): SharedStore & { keys(): string[] } {
  const entries = new Map<string, { value: string; expiresAt: number }>();
  const live = (key: string) => {
    const e = entries.get(key);
    if (e && e.expiresAt <= now()) entries.delete(key);
    return entries.get(key);
  };
  const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

  return {
    async get(key) {
      await tick();
      return live(key)?.value ?? null;
    },
    async set(key, value, ttlMs) {
      await tick();
      entries.set(key, { value, expiresAt: ttlMs ? now() + ttlMs : Infinity });
    },
    async setIfAbsent(key, value, ttlMs) {
      await tick();
      if (live(key)) return false;
      entries.set(key, { value, expiresAt: now() + ttlMs });
      return true;
    },
    async del(key) {
      await tick();
      entries.delete(key);
    },
    async increment(key, by, ttlMs) {
      await tick();
      const e = live(key);
      const value = Number(e?.value ?? 0) + by;
      entries.set(key, { value: String(value), expiresAt: e?.expiresAt ?? now() + ttlMs });
      return value;
    },
    keys: () => [...entries.keys()].filter((k) => live(k)),
  };
}
