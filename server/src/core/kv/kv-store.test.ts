import { randomBytes } from 'node:crypto';
import { createMemoryStore, createRedisStore, tryLock, type KeyValueStore } from './kv-store';

const stores: Array<[string, () => KeyValueStore]> = [['memory', createMemoryStore]];
if (process.env.REDIS_URL) stores.push(['redis', () => createRedisStore(process.env.REDIS_URL ?? '', `scrm-kv-test:${randomBytes(4).toString('hex')}:`)]);

describe.each(stores)('%s key-value store', (_kind, create) => {
  let kv: KeyValueStore;
  beforeEach(() => {
    kv = create();
  });
  afterEach(() => kv.close());

  it('sets a key only once while it exists', async () => {
    expect(await kv.setIfAbsent('k', 'a', 10_000)).toBe(true);
    expect(await kv.setIfAbsent('k', 'b', 10_000)).toBe(false);
    expect(await kv.get('k')).toBe('a');
  });

  it('counts within a window that starts at the first increment', async () => {
    expect(await kv.increment('c', 1, 10_000)).toBe(1);
    expect(await kv.increment('c', 5, 10_000)).toBe(6);
    expect(await kv.get('c')).toBe('6');
  });

  it('lets only one holder take a lock, and frees it on release', async () => {
    const first = await tryLock(kv, 'job', 10_000);
    expect(first).not.toBeNull();
    expect(await tryLock(kv, 'job', 10_000)).toBeNull();
    await first?.release();
    expect(await tryLock(kv, 'job', 10_000)).not.toBeNull();
  });
});
