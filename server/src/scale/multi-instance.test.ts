import { Op } from 'sequelize';
import { apiClient } from '../testing/test-server';
import { waitForProgress } from '../modules/chat-archive/archive-test-kit';
import { waitUntil } from '../testing/wait-until';
import { settledCallbackOutcome, sendCallbacks } from './callback-burst';
import { startArchiveWorker } from './archive-worker-process';
import { startCluster, type Cluster } from './cluster';
import { report, scaleSuite } from './scale-suite';
import { startWecomWithFaults, type WecomWithFaults } from './wecom-fault-proxy';
import { createOrders, publishEscalatingFlow, storeIdOf } from './work-order-load';

// Long enough that a loaded machine's delays around an expiry do not pass for a second refresh.
const TOKEN_TTL_SECONDS = 8;
const ARCHIVED_MESSAGES = 600;
const TOKEN_REFUSED = new Set([40014, 42001]);

scaleSuite('three server processes on one MariaDB and one Redis', () => {
  let wecom: WecomWithFaults;
  let cluster: Cluster;
  let archive: Awaited<ReturnType<typeof startArchiveWorker>>;
  const urls = () => cluster.instances.map((i) => i.url);

  beforeAll(async () => {
    wecom = await startWecomWithFaults({ tokenTtlSeconds: TOKEN_TTL_SECONDS });
    cluster = await startCluster(3, {
      ...wecom.env,
      SCHEDULER_ENABLED: 'true',
      CRON_OVERRIDES: JSON.stringify({ 'sessions.purge': '*/2 * * * * *', 'timers.scan': '* * * * * *' }),
    });
    // The archive worker pulls while the next tests send callbacks and the instances run cron.
    archive = await startArchiveWorker(cluster.env, cluster.instances[0]!.url, await cluster.login(cluster.instances[0]!));
    archive.append(ARCHIVED_MESSAGES);
  }, 180_000);

  afterAll(async () => {
    await archive?.stop();
    await cluster?.stop();
    await wecom?.close();
  });

  it('processes each callback once when deliveries are spread across the instances, with one gettoken per token expiry', async () => {
    const callbacks = wecom.newCustomerCallbacks(300, 'multi');
    const started = Date.now();
    const { acknowledged, failed } = await sendCallbacks(urls, callbacks);
    const ids = callbacks.map((c) => c.externalUserId);
    const outcome = await settledCallbackOutcome(cluster.models, ids, 90_000);
    report('callbacks across 3 instances', { sent: callbacks.length, acknowledged: acknowledged.length, failed, ...outcome });
    expect(acknowledged).toHaveLength(callbacks.length);
    expect(outcome).toMatchObject({ stored: ids.length, processed: ids.length, storedTwice: 0, customers: ids.length, refreshesDone: ids.length });

    // The sandbox issues tokens living TOKEN_TTL_SECONDS; each is fetched by one instance and shared
    // through Redis, so a second gettoken for an app only comes once the cached one has run out, or
    // once WeCom has refused it (a request held up past the token's end on a loaded machine).
    const tokens = wecom.calls.filter((c) => c.api === 'gettoken' && c.at >= started);
    const refusedBetween = (from: number, to: number) => wecom.calls.some((c) => c.at >= from && c.at <= to && TOKEN_REFUSED.has(c.errcode ?? 0));
    const tooSoon = tokens.filter((call, i) => {
      const previous = tokens.slice(0, i).reverse().find((c) => c.app === call.app);
      if (!previous || refusedBetween(previous.at, call.at)) return false;
      const cachedMs = Math.floor(((previous.expiresIn ?? 0) * 1000) / 2);
      return call.at - previous.at < cachedMs - 250;
    });
    report('gettoken across 3 instances', { gettoken: tokens.length, apps: [...new Set(tokens.map((t) => t.app))], seconds: Math.round((Date.now() - started) / 1000), tooSoon: tooSoon.length });
    expect(tokens.length).toBeGreaterThan(0);
    expect(tooSoon).toEqual([]);
  }, 120_000);

  it('runs a job scheduled every two seconds once per tick across the instances', async () => {
    let ticks = new Map<string, number>();
    await waitUntil(async () => {
      const rows = await cluster.models.CronRun.findAll({ where: { job: 'sessions.purge' }, raw: true });
      ticks = new Map();
      for (const row of rows) ticks.set(new Date(row.tick_at).toISOString(), (ticks.get(new Date(row.tick_at).toISOString()) ?? 0) + 1);
      return ticks.size >= 4;
    }, 30_000, 500);
    const runners = new Set((await cluster.models.CronRun.findAll({ where: { job: 'sessions.purge' }, raw: true })).map((r) => r.instance_id));
    report('cron ticks', { ticks: ticks.size, runs: [...ticks.values()].reduce((a, b) => a + b, 0), runningInstances: runners.size });
    expect([...ticks.entries()].filter(([, count]) => count !== 1)).toEqual([]);
  }, 40_000);

  it('fires each SLA escalation once, whichever instance scans first', async () => {
    const token = await cluster.login(cluster.instances[0]!);
    await publishEscalatingFlow(cluster.instances[0]!.url, token, 'scale_sla');
    const storeId = await storeIdOf(cluster.models, 'SH01');
    const { created, failed } = await createOrders(urls, token, { flowCode: 'scale_sla', storeId }, 30, 'sla');
    expect(failed).toBe(0);
    const ids = [...created.values()].map(String);
    const { Timer, WorkOrderEvent } = cluster.models;
    // Due now: every instance's per-second scan and in-process wake-ups compete for them.
    await Timer.update({ due_at: new Date(Date.now() - 1000) }, { where: { subject_type: 'work_order', subject_id: ids } });
    await waitUntil(async () => (await Timer.count({ where: { subject_type: 'work_order', subject_id: ids, status: 'pending' } })) === 0, 30_000, 500);
    const events = await WorkOrderEvent.findAll({ where: { work_order_id: ids.map(Number), type: ['reminded', 'escalated'] }, raw: true });
    const timers = await Timer.findAll({ where: { subject_type: 'work_order', subject_id: ids }, raw: true });
    const firedBy = new Set(timers.map((t) => t.fired_by));
    report('SLA escalations', { orders: ids.length, timers: timers.length, fired: timers.filter((t) => t.status === 'fired').length, reminded: events.filter((e) => e.type === 'reminded').length, escalated: events.filter((e) => e.type === 'escalated').length, firingInstances: firedBy.size });
    for (const id of ids.map(Number)) {
      expect(events.filter((e) => Number(e.work_order_id) === id && e.type === 'reminded')).toHaveLength(1);
      expect(events.filter((e) => Number(e.work_order_id) === id && e.type === 'escalated')).toHaveLength(1);
    }
    expect(timers.every((t) => t.status === 'fired')).toBe(true);
  }, 60_000);

  it('accepts a session made on one instance on every instance, and refuses it everywhere once revoked', async () => {
    const token = await cluster.login(cluster.instances[1]!, 'staff_sh01');
    const seen = await Promise.all(urls().map((url) => apiClient(url)('GET', '/api/auth/me', { token }).then((r) => r.status)));
    await apiClient(urls()[2]!)('POST', '/api/auth/logout', { token });
    const afterLogout = await Promise.all(urls().map((url) => apiClient(url)('GET', '/api/auth/me', { token }).then((r) => r.status)));
    report('session', { instances: seen.length, accepted: seen.filter((s) => s === 200).length, refusedAfterLogout: afterLogout.filter((s) => s === 401).length });
    expect(seen).toEqual([200, 200, 200]);
    expect(afterLogout).toEqual([401, 401, 401]);
  });

  it('ingests each archived message once beside the three instances, and the archive worker stops cleanly', async () => {
    const stalledAfterMs = 90_000;
    await waitForProgress(() => archive.counts(cluster.models), (now) => now.lastSeq >= ARCHIVED_MESSAGES, stalledAfterMs, 250);
    const counts = await archive.counts(cluster.models);
    report('archive worker beside 3 instances', { appended: ARCHIVED_MESSAGES, ...counts });
    expect(counts).toEqual({ stored: ARCHIVED_MESSAGES, distinct: ARCHIVED_MESSAGES, lastSeq: ARCHIVED_MESSAGES });
    expect(await archive.stop()).toBe(0);
  }, 180_000);

  it('keeps no callback or job unfinished, and every instance stops cleanly on SIGTERM', async () => {
    expect(await cluster.models.Job.count({ where: { status: { [Op.in]: ['dead'] } } })).toBe(0);
    const codes = await Promise.all(cluster.instances.map((i) => i.terminate()));
    expect(codes).toEqual([0, 0, 0]);
  }, 30_000);
});
