import { Op } from 'sequelize';
import { apiClient } from '../testing/test-server';
import { waitUntil } from '../testing/wait-until';
import { settledCallbackOutcome, sendCallbacks } from './callback-burst';
import { startCluster, type Cluster } from './cluster';
import { startPrivateRedis, type PrivateService } from './private-services';
import { report, scaleSuite } from './scale-suite';
import { startWecomWithFaults, type WecomWithFaults } from './wecom-fault-proxy';

const readiness = (url: string) => fetch(`${url}/readyz`).then((r) => r.status, () => 0);

scaleSuite('Redis restarted under two instances', () => {
  let redis: PrivateService;
  let wecom: WecomWithFaults;
  let cluster: Cluster;
  const urls = () => cluster.instances.map((i) => i.url);

  beforeAll(async () => {
    redis = await startPrivateRedis();
    wecom = await startWecomWithFaults();
    cluster = await startCluster(2, { ...wecom.env, REDIS_URL: redis.url, SCHEDULER_ENABLED: 'true', CRON_OVERRIDES: JSON.stringify({ 'sessions.purge': '* * * * * *' }) });
  }, 180_000);

  afterAll(async () => {
    await cluster?.stop();
    await wecom?.close();
    await redis?.close();
  });

  it('loses no callback across the outage: stored throughout, processed once Redis is back; readiness says so meanwhile', async () => {
    const token = await cluster.login(cluster.instances[0]!);
    const before = wecom.newCustomerCallbacks(100, 'redis_before');
    const during = wecom.newCustomerCallbacks(100, 'redis_during');
    const after = wecom.newCustomerCallbacks(100, 'redis_after');
    const sentBefore = await sendCallbacks(urls, before);

    await redis.kill();
    const outageStarted = Date.now();
    const readyDuring = await Promise.all(urls().map(readiness));
    const sentDuring = await sendCallbacks(urls, during);
    const meDuring = await apiClient(urls()[1]!)('GET', '/api/auth/me', { token }).then((r) => r.status);
    const outageMs = Date.now() - outageStarted;
    await redis.start();

    await waitUntil(async () => (await Promise.all(urls().map(readiness))).every((s) => s === 200), 30_000, 250);
    const recoveredAt = new Date();
    const sentAfter = await sendCallbacks(urls, after);
    // WeCom resends what was not acknowledged during the outage.
    const duringAcked = new Set(sentDuring.acknowledged);
    const resent = await sendCallbacks(urls, during.filter((c) => !duringAcked.has(c.externalUserId)));
    const ids = [...before, ...during, ...after].map((c) => c.externalUserId);
    const outcome = await settledCallbackOutcome(cluster.models, ids, 120_000);
    await waitUntil(async () => (await cluster.models.CronRun.count({ where: { job: 'sessions.purge', tick_at: { [Op.gt]: recoveredAt } } })) >= 2, 20_000, 250);
    report('Redis restart', {
      outageMs,
      readyzDuring: readyDuring,
      meDuring,
      acknowledged: { before: sentBefore.acknowledged.length, during: sentDuring.acknowledged.length, after: sentAfter.acknowledged.length, resent: resent.acknowledged.length },
      ...outcome,
      cronResumed: true,
    });
    expect(readyDuring).toEqual([503, 503]);
    expect(sentBefore.failed + sentAfter.failed + resent.failed).toBe(0);
    expect(outcome).toMatchObject({ stored: ids.length, processed: ids.length, storedTwice: 0, customers: ids.length, refreshesDone: ids.length });
  }, 240_000);
});
