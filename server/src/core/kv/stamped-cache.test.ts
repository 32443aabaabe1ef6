import { randomBytes } from 'node:crypto';
import { createChangeStamp } from './change-stamp';
import { createMemoryStore, createRedisStore, type KeyValueStore } from './kv-store';
import { createStampedCache } from './stamped-cache';

const stores: Array<[string, () => KeyValueStore]> = [['memory', createMemoryStore]];
if (process.env.REDIS_URL) stores.push(['redis', () => createRedisStore(process.env.REDIS_URL ?? '', `scrm-stamp-test:${randomBytes(4).toString('hex')}:`)]);

/** A loader that counts its calls and answers `value:<call number>`. */
function countingLoader() {
  let calls = 0;
  return {
    calls: () => calls,
    load: async () => `value:${++calls}`,
  };
}

describe.each(stores)('stamped cache on a %s store', (_kind, create) => {
  let kv: KeyValueStore;
  beforeEach(() => {
    kv = create();
  });
  afterEach(() => kv.close());

  it('answers from its copy while the stamp is unchanged, and reads again once a write renewed it', async () => {
    const stamp = createChangeStamp(kv, 'stamp');
    const cache = createStampedCache<string, string>(stamp, { max: 10, ttlMs: 60_000 });
    const loader = countingLoader();
    expect(await cache.get('k', loader.load)).toBe('value:1');
    expect(await cache.get('k', loader.load)).toBe('value:1');
    await stamp.renew();
    expect(await cache.get('k', loader.load)).toBe('value:2');
    expect(loader.calls()).toBe(2);
  });

  it('sees a renewal made through another instance of the store (another server)', async () => {
    const mine = createStampedCache<string, string>(createChangeStamp(kv, 'stamp'), { max: 10, ttlMs: 60_000 });
    const theirs = createChangeStamp(kv, 'stamp');
    const loader = countingLoader();
    await mine.get('k', loader.load);
    await theirs.renew();
    expect(await mine.get('k', loader.load)).toBe('value:2');
  });

  it('does not keep what was read while a write was being made: the copy carries the stamp from before it', async () => {
    const stamp = createChangeStamp(kv, 'stamp');
    const cache = createStampedCache<string, string>(stamp, { max: 10, ttlMs: 60_000 });
    // The write commits and renews the stamp while the old row is being read.
    expect(
      await cache.get('k', async () => {
        await stamp.renew();
        return 'old row';
      }),
    ).toBe('old row');
    expect(await cache.get('k', async () => 'new row')).toBe('new row');
  });

  it('never trusts old copies once the stamp is gone (a restarted Redis keeps nothing)', async () => {
    const cache = createStampedCache<string, string>(createChangeStamp(kv, 'stamp'), { max: 10, ttlMs: 60_000 });
    const loader = countingLoader();
    await cache.get('k', loader.load);
    await kv.del('stamp');
    expect(await cache.get('k', loader.load)).toBe('value:2');
    expect(await cache.get('k', loader.load)).toBe('value:2');
  });

  it('reads every time when the stamp cannot be read', async () => {
    const stamp = createChangeStamp({ ...kv, get: () => Promise.reject(new Error('Connection is closed.')) }, 'stamp');
    const cache = createStampedCache<string, string>(stamp, { max: 10, ttlMs: 60_000 });
    const loader = countingLoader();
    await cache.get('k', loader.load);
    expect(await cache.get('k', loader.load)).toBe('value:2');
  });

  it('does without the stamp when the store stalls: each caller waits at most the read timeout, and a renewal fails within its own', async () => {
    const stalled = { ...kv, get: () => new Promise<string | null>(() => {}), set: () => new Promise<void>(() => {}) };
    const stamp = createChangeStamp(stalled, 'stamp', { readTimeoutMs: 50, renewTimeoutMs: 50 });
    const cache = createStampedCache<string, string>(stamp, { max: 10, ttlMs: 60_000 });
    const loader = countingLoader();
    expect(await Promise.all([cache.get('k', loader.load), cache.get('k', loader.load)])).toEqual(['value:1', 'value:2']);
    await expect(stamp.renew()).rejects.toThrow('no answer within 50 ms');
  });

  it('keeps no answer that is missing, and reads only the keys it has no copy of', async () => {
    const cache = createStampedCache<number, string>(createChangeStamp(kv, 'stamp'), { max: 10, ttlMs: 60_000 });
    const asked: number[][] = [];
    const names = async (ids: number[]) => {
      asked.push(ids);
      return new Map(ids.filter((id) => id !== 3).map((id) => [id, `store ${id}`]));
    };
    expect(await cache.getMany([1, 2, 2], names)).toEqual(new Map([[1, 'store 1'], [2, 'store 2']]));
    expect(await cache.getMany([2, 3, 1], names)).toEqual(new Map([[2, 'store 2'], [1, 'store 1']]));
    expect(await cache.get(4, async () => null)).toBeNull();
    expect(await cache.get(4, async () => 'store 4')).toBe('store 4');
    expect(asked).toEqual([[1, 2], [3]]);
  });
});
