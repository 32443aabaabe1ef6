import { randomUUID } from 'node:crypto';
import { createStatementBatcher } from '../db/statement-batcher';
import { withTimeout } from '../time/with-timeout';
import type { KeyValueStore } from './kv-store';

/**
 * A stamp every instance shares, replaced after each committed write to what it watches: a copy an
 * instance kept is current while the stamp is still the one it was kept under. Stamps are random, not
 * counted, so a store that lost its keys (a restarted Redis) never hands out an old stamp again.
 */
export interface ChangeStamp {
  /** The stamp as read after this call was made (calls made together share one read); null when the store does not answer in time. */
  current(): Promise<string | null>;
  /** Replaces the stamp; resolved once every instance reads the new one, rejected when the store does not answer in time. */
  renew(): Promise<void>;
}

export interface ChangeStampOptions {
  /** How long a read may take before its caller does without (reads the data itself). */
  readTimeoutMs?: number;
  /** How long a renewal may hold up the write that asked for it. */
  renewTimeoutMs?: number;
}

/** Long enough to outlive every copy kept under it; a stamp that expires is replaced like a lost one. */
const STAMP_TTL_MS = 24 * 3600_000;

export function createChangeStamp(kv: KeyValueStore, key: string, options: ChangeStampOptions = {}): ChangeStamp {
  const { readTimeoutMs = 250, renewTimeoutMs = 1000 } = options;
  const reads = createStatementBatcher<null, string | null>(async (calls) => {
    const stamp = await kv.get(key);
    return calls.map(() => stamp);
  });
  async function read() {
    const stamp = await reads.submit(null);
    if (stamp !== null) return stamp;
    await kv.setIfAbsent(key, randomUUID(), STAMP_TTL_MS);
    return kv.get(key);
  }
  return {
    // Redis away or stalled: each caller waits at most the read timeout, then reads the data itself.
    current: () => withTimeout(read(), readTimeoutMs).catch(() => null),
    renew: () => withTimeout(kv.set(key, randomUUID(), STAMP_TTL_MS), renewTimeoutMs),
  };
}
