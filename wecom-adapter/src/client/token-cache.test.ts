import axios from 'axios';
import { createFakeClock } from './testing/fake-clock';
import { createMemoryStore } from './testing/memory-store';
import { type StubWecom, startStubWecom } from './testing/stub-wecom';
import { createTestClient } from './testing/test-client';
import { defaultTuning, silentLogger } from './client-options';
import { createTokenCache, tokenKey, tokenLockKey } from './token-cache';

describe('access token cache', () => {
  let stub: StubWecom;
  beforeEach(async () => {
    stub = await startStubWecom();
    stub.handle('externalcontact/list', () => ({ errcode: 0, errmsg: 'ok', external_userid: ['wm1'] }));
  });
  afterEach(() => stub.close());

  it('fetches exactly one token for 100 concurrent calls made while the cached token is expired', async () => {
    const { client, clock, store } = createTestClient(stub);
    const expired = { token: 'stale-token', expiresAt: clock.now() - 1 };
    await store.set(tokenKey(stub.corpId, 'customer'), JSON.stringify(expired));

    const results = await Promise.all(Array.from({ length: 100 }, () => client.externalContact.list('zhangsan')));

    expect(results.every((r) => r.external_userid[0] === 'wm1')).toBe(true);
    expect(stub.calls('gettoken')).toHaveLength(1);
    expect(new Set(stub.calls('externalcontact/list').map((r) => r.query.access_token))).toEqual(new Set(['stub-token-1']));
  });

  it('lets two instances sharing one store use one token, refreshed once between them', async () => {
    const clock = createFakeClock();
    const store = createMemoryStore(clock.now);
    const a = createTestClient(stub, { clock, store }).client;
    const b = createTestClient(stub, { clock, store }).client;

    const calls = Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).externalContact.list('zhangsan'));
    await Promise.all(calls);
    await b.externalContact.list('lisi');

    expect(stub.calls('gettoken')).toHaveLength(1);
    expect(new Set(stub.calls('externalcontact/list').map((r) => r.query.access_token)).size).toBe(1);
  });

  it('refreshes again once the cached token reaches its safety margin before expires_in', async () => {
    const { client, clock } = createTestClient(stub);
    await client.externalContact.list('zhangsan');
    clock.advance(7200_000 - 5 * 60_000 - 1);
    await client.externalContact.list('zhangsan');
    expect(stub.calls('gettoken')).toHaveLength(1);
    clock.advance(2);
    await client.externalContact.list('zhangsan');
    expect(stub.calls('gettoken')).toHaveLength(2);
  });

  it('waits for a refresh another instance holds the lock for, then takes over when that lock expires', async () => {
    const clock = createFakeClock();
    const store = createMemoryStore(clock.now);
    await store.setIfAbsent(tokenLockKey(stub.corpId, 'customer'), 'dead-instance', 1_000);
    const { client } = createTestClient(stub, { clock, store, tuning: { refreshLockMs: 1_000, refreshPollMs: 100 } });

    await client.externalContact.list('zhangsan');

    expect(stub.calls('gettoken')).toHaveLength(1);
    expect(clock.sleeps).toEqual(Array(10).fill(100));
    expect(await store.get(tokenLockKey(stub.corpId, 'customer'))).toBeNull();
  });

  it('picks up the token another instance stored while it waited, without calling gettoken', async () => {
    const clock = createFakeClock();
    const store = createMemoryStore(clock.now);
    await store.setIfAbsent(tokenLockKey(stub.corpId, 'customer'), 'other-instance', 15_000);
    const { client } = createTestClient(stub, { clock, store });
    const fetched = await axios.get(`${stub.apiBase}/cgi-bin/gettoken`, {
      params: { corpid: stub.corpId, corpsecret: 'customer-secret' },
    });
    const pending = client.externalContact.list('zhangsan');
    const value = { token: fetched.data.access_token as string, expiresAt: clock.now() + 3_600_000 };
    await store.set(tokenKey(stub.corpId, 'customer'), JSON.stringify(value));

    await pending;
    expect(stub.calls('gettoken')).toHaveLength(1);
    expect(stub.calls('externalcontact/list')[0]?.query.access_token).toBe(value.token);
  });

  it('keeps separate tokens for the contact, customer and agent apps', async () => {
    const { client } = createTestClient(stub);
    await Promise.all([client.directory.getUser('zhangsan'), client.externalContact.list('zhangsan'), client.auth.getUserInfo('code')]);
    expect(stub.calls('gettoken').map((r) => r.query.corpsecret).sort()).toEqual(['agent-secret', 'contact-secret', 'customer-secret']);
  });

  it('leaves a newer token in place when an instance reports the old one as refused', async () => {
    const clock = createFakeClock();
    const store = createMemoryStore(clock.now);
    const fetchToken = jest.fn(async () => ({ accessToken: 'never', expiresInMs: 7_200_000 }));
    const cache = createTokenCache({ corpId: 'c', store, fetchToken, now: clock.now, sleep: clock.sleep, tuning: defaultTuning, logger: silentLogger });
    await store.set(tokenKey('c', 'agent'), JSON.stringify({ token: 'newer', expiresAt: clock.now() + 60_000 }));

    await cache.invalidate('agent', 'older');

    await expect(cache.get('agent')).resolves.toBe('newer');
    expect(fetchToken).not.toHaveBeenCalled();
  });
});
