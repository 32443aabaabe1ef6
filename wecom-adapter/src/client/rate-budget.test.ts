import { createFakeClock } from './testing/fake-clock';
import { createMemoryStore } from './testing/memory-store';
import { type StubWecom, startStubWecom } from './testing/stub-wecom';
import { createTestClient } from './testing/test-client';

describe('per-corp, per-API minute budget', () => {
  let stub: StubWecom;
  beforeEach(async () => {
    stub = await startStubWecom();
  });
  afterEach(() => stub.close());

  it('with a budget of 5/min, makes the 6th and 11th of 12 calls wait for the next minute', async () => {
    const { client, clock } = createTestClient(stub, { limits: { perApi: { 'user/get': 5 } } });
    clock.advance(1_000);
    const waitsByCall = new Map<number, number[]>();
    for (let i = 1; i <= 12; i++) {
      const before = clock.sleeps.length;
      await client.directory.getUser(`user${i}`);
      if (clock.sleeps.length > before) waitsByCall.set(i, clock.sleeps.slice(before));
    }
    expect([...waitsByCall]).toEqual([
      [6, [59_000]],
      [11, [60_000]],
    ]);
    expect(stub.calls('user/get')).toHaveLength(12);
  });

  it('shares one budget between instances using the same store', async () => {
    const clock = createFakeClock();
    const store = createMemoryStore(clock.now);
    const limits = { perMinute: 5 };
    const a = createTestClient(stub, { clock, store, limits }).client;
    const b = createTestClient(stub, { clock, store, limits }).client;
    for (let i = 0; i < 3; i++) await a.directory.getUser('zhangsan');
    for (let i = 0; i < 2; i++) await b.directory.getUser('zhangsan');
    expect(clock.sleeps).toEqual([]);
    await b.directory.getUser('zhangsan');
    expect(clock.sleeps).toEqual([60_000]);
  });

  it('counts each API separately', async () => {
    const { client, clock } = createTestClient(stub, { limits: { perMinute: 2 } });
    await client.directory.getUser('a');
    await client.directory.getUser('b');
    await client.externalContact.list('a');
    await client.externalContact.list('b');
    expect(clock.sleeps).toEqual([]);
  });
});
