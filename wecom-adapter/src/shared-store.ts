/**
 * The little shared state the adapter needs (cached access tokens, refresh locks, rate budgets).
 * The server passes its key-value store: Redis when configured, so that every instance shares one
 * token and one budget; process memory otherwise.
 */
export interface SharedStore {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  /** Sets the key only if absent; true when this call set it. */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  del(key: string): Promise<void>;
  /** Adds `by` to a counter that expires `ttlMs` after it was created; returns the new value. */
  increment(key: string, by: number, ttlMs: number): Promise<number>;
}
