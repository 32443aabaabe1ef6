import { apiClient } from '../testing/test-server';
import { waitUntil } from '../testing/wait-until';
import { settledCallbackOutcome, sendCallbacks } from './callback-burst';
import { startCluster, type Cluster } from './cluster';
import { startPrivateMariadb, type PrivateService } from './private-services';
import { report, scaleSuite } from './scale-suite';
import { startWecomWithFaults, type WecomWithFaults } from './wecom-fault-proxy';

/** A request's status and how long it took to answer. */
async function timed(request: () => Promise<number>) {
  const started = Date.now();
  const status = await request().catch(() => 0);
  return { status, ms: Date.now() - started };
}

scaleSuite('MariaDB restarted under two instances (a private mariadbd)', () => {
  let mariadb: PrivateService;
  let wecom: WecomWithFaults;
  let cluster: Cluster;
  const urls = () => cluster.instances.map((i) => i.url);

  beforeAll(async () => {
    mariadb = await startPrivateMariadb();
    wecom = await startWecomWithFaults();
    // A job whose end could not be recorded during the outage is taken over when its lease runs out
    // (five minutes by default); a shorter lease keeps that within the test.
    cluster = await startCluster(2, { ...wecom.env, JOB_LEASE_MS: '20000' }, mariadb.url);
  }, 180_000);

  afterAll(async () => {
    await cluster?.stop();
    await wecom?.close();
    await mariadb?.close();
  });

  it('answers 503 at once while the database is down and recovers by itself, losing no acknowledged callback', async () => {
    const token = await cluster.login(cluster.instances[0]!);
    const before = wecom.newCustomerCallbacks(60, 'db_before');
    const during = wecom.newCustomerCallbacks(20, 'db_during');
    const sentBefore = await sendCallbacks(urls, before);

    await mariadb.kill();
    const readyz = await Promise.all(urls().map((url) => timed(() => fetch(`${url}/readyz`).then((r) => r.status))));
    const api = await Promise.all(urls().map((url) => timed(() => apiClient(url)('GET', '/api/customers', { token }).then((r) => r.status))));
    const sentDuring = await sendCallbacks(urls, during, 4);
    const callbackStatuses = await Promise.all(urls().map((url) => timed(() => fetch(`${url}${during[0]!.path}`, { method: 'POST', body: during[0]!.body, headers: { 'content-type': 'text/xml' } }).then((r) => r.status))));
    await mariadb.start();

    await waitUntil(async () => (await Promise.all(urls().map((url) => fetch(`${url}/readyz`).then((r) => r.status, () => 0)))).every((s) => s === 200), 60_000, 250);
    const apiAfter = await Promise.all(urls().map((url) => apiClient(url)('GET', '/api/customers', { token }).then((r) => r.status)));
    const duringAcked = new Set(sentDuring.acknowledged);
    const resent = await sendCallbacks(urls, during.filter((c) => !duringAcked.has(c.externalUserId)));
    const ids = [...before, ...during].map((c) => c.externalUserId);
    const outcome = await settledCallbackOutcome(cluster.models, ids, 120_000);
    report('MariaDB restart', { readyzDuring: readyz, apiDuring: api, callbacksDuring: callbackStatuses, acknowledgedBefore: sentBefore.acknowledged.length, acknowledgedDuring: sentDuring.acknowledged.length, resent: resent.acknowledged.length, apiAfter, ...outcome });
    expect(readyz.map((r) => r.status)).toEqual([503, 503]);
    expect(api.map((r) => r.status)).toEqual([503, 503]);
    expect(callbackStatuses.map((r) => r.status)).toEqual([503, 503]);
    expect(Math.max(...[...readyz, ...api, ...callbackStatuses].map((r) => r.ms))).toBeLessThan(5000);
    expect(apiAfter).toEqual([200, 200]);
    expect(resent.failed).toBe(0);
    expect(outcome).toMatchObject({ stored: ids.length, processed: ids.length, storedTwice: 0, customers: ids.length, refreshesDone: ids.length });
  }, 240_000);
});
