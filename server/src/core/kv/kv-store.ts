import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';

/**
 * Shared short-lived state: caches, locks, throttles. Redis when configured (shared by every
 * instance), otherwise this process's memory (the embedded single-instance default).
 */
export interface KeyValueStore {
  readonly kind: 'memory' | 'redis';
  /** The Redis client when kind is 'redis', for libraries that speak Redis themselves. */
  readonly redis?: Redis;
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  /** Sets the key only if it does not exist; true when this call set it. */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  /** Deletes the key only while it still holds `value` (releasing a lock we own). */
  deleteIfEquals(key: string, value: string): Promise<boolean>;
  del(key: string): Promise<void>;
  /** Adds `by` to a counter that expires `ttlMs` after it was created; returns the new value. */
  increment(key: string, by: number, ttlMs: number): Promise<number>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export function createMemoryStore(): KeyValueStore {
  const entries = new LRUCache<string, string>({ max: 100_000, ttlAutopurge: false });
  return {
    kind: 'memory',
    async get(key) {
      return entries.get(key) ?? null;
    },
    async set(key, value, ttlMs) {
      entries.set(key, value, ttlMs ? { ttl: ttlMs } : undefined);
    },
    async setIfAbsent(key, value, ttlMs) {
      if (entries.has(key)) return false;
      entries.set(key, value, { ttl: ttlMs });
      return true;
    },
    async deleteIfEquals(key, value) {
      if (entries.get(key) !== value) return false;
      entries.delete(key);
      return true;
    },
    async del(key) {
      entries.delete(key);
    },
    async increment(key, by, ttlMs) {
      const current = entries.get(key);
      const next = Number(current ?? 0) + by;
      const remaining = current === undefined ? ttlMs : entries.getRemainingTTL(key);
      entries.set(key, String(next), { ttl: remaining > 0 && Number.isFinite(remaining) ? remaining : ttlMs });
      return next;
    },
    async ping() {},
    async close() {
      entries.clear();
    },
  };
}

const incrementScript = `local v = redis.call('incrby', KEYS[1], ARGV[1]) if v == tonumber(ARGV[1]) then redis.call('pexpire', KEYS[1], ARGV[2]) end return v`;
const deleteIfEqualsScript = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

export function createRedisStore(url: string, prefix: string): KeyValueStore {
  const redis = new Redis(url, { keyPrefix: prefix, maxRetriesPerRequest: 2, enableOfflineQueue: true, lazyConnect: false });
  redis.on('error', () => {
    // Connection errors surface through the failing command and through /readyz; ioredis reconnects.
  });
  return {
    kind: 'redis',
    redis,
    get: (key) => redis.get(key),
    async set(key, value, ttlMs) {
      if (ttlMs) await redis.set(key, value, 'PX', ttlMs);
      else await redis.set(key, value);
    },
    async setIfAbsent(key, value, ttlMs) {
      return (await redis.set(key, value, 'PX', ttlMs, 'NX')) === 'OK';
    },
    async deleteIfEquals(key, value) {
      return (await redis.eval(deleteIfEqualsScript, 1, key, value)) === 1;
    },
    async del(key) {
      await redis.del(key);
    },
    async increment(key, by, ttlMs) {
      return Number(await redis.eval(incrementScript, 1, key, by, ttlMs));
    },
    async ping() {
      await redis.ping();
    },
    async close() {
      if (redis.status === 'ready') await redis.quit().catch(() => redis.disconnect());
      else redis.disconnect();
    },
  };
}

export interface Lock {
  release(): Promise<void>;
}

/** Takes `key` for at most `ttlMs`; null when someone else holds it. */
export async function tryLock(store: KeyValueStore, key: string, ttlMs: number): Promise<Lock | null> {
  const owner = randomUUID();
  if (!(await store.setIfAbsent(`lock:${key}`, owner, ttlMs))) return null;
  return { release: async () => void (await store.deleteIfEquals(`lock:${key}`, owner)) };
}
