import { LRUCache } from 'lru-cache';
import type { ChangeStamp } from './change-stamp';

export interface StampedCacheOptions {
  max: number;
  /** How long a copy is kept at most, whatever the stamp says (a bound on staleness should a renewal fail). */
  ttlMs: number;
}

/**
 * This instance's copies of rows that change rarely and are read by every request, each kept under
 * the stamp read before it was loaded: a copy is used only while the stamp has not changed since, so
 * a write committed on any instance is seen by the next read on every one. Without a stamp (none
 * given, or the store cannot be read) every read loads.
 */
export function createStampedCache<K extends NonNullable<unknown>, V extends NonNullable<unknown>>(stamp: ChangeStamp | null, options: StampedCacheOptions) {
  const copies = new LRUCache<K, { stamp: string; value: V }>({ max: options.max, ttl: options.ttlMs });
  /** The copy of `key` if it was kept under the current stamp (none without one). */
  const fresh = (key: K, current: string | null): V | undefined => {
    if (current === null) return undefined;
    const copy = copies.get(key);
    return copy?.stamp === current ? copy.value : undefined;
  };
  return {
    /** The copy of `key`, or what `load` reads (kept unless it is null or undefined). */
    async get(key: K, load: () => Promise<V | null | undefined>): Promise<V | null | undefined> {
      const current = stamp ? await stamp.current() : null;
      const known = fresh(key, current);
      if (known !== undefined) return known;
      const value = await load();
      if (current !== null && value !== null && value !== undefined) copies.set(key, { stamp: current, value });
      return value;
    },
    /** The copies of `keys`, with those missing read at once by `loadMissing` (keys it does not answer are not kept). */
    async getMany(keys: K[], loadMissing: (keys: K[]) => Promise<Map<K, V>>): Promise<Map<K, V>> {
      const current = stamp ? await stamp.current() : null;
      const found = new Map<K, V>();
      const missing: K[] = [];
      for (const key of new Set(keys)) {
        const known = fresh(key, current);
        if (known === undefined) missing.push(key);
        else found.set(key, known);
      }
      if (!missing.length) return found;
      for (const [key, value] of await loadMissing(missing)) {
        found.set(key, value);
        if (current !== null) copies.set(key, { stamp: current, value });
      }
      return found;
    },
  };
}
