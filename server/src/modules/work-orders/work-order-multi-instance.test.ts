import { createTestDatabase, type TestDatabase } from '../../testing/test-database';
import { startTestServer, type TestServer } from '../../testing/test-server';
import { waitUntil } from '../../testing/wait-until';
import { createOrder, oneTaskFlow, orderOf, publishFlow, storeIdOf } from './work-order-test-kit';

const production = Boolean(process.env.DB_URL?.startsWith('mysql') && process.env.REDIS_URL);
const suite = production ? describe : describe.skip;
if (!production) {
  // Two instances need a shared database server; the embedded SQLite file is for one process.
  process.stderr.write('multi-instance work-order suite skipped: set DB_URL=mysql://… and REDIS_URL=redis://… to run it\n');
}

suite('work-order escalations on two instances sharing MySQL/MariaDB and Redis', () => {
  let database: TestDatabase;
  let instances: TestServer[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    const env = { JOB_WORKER_ENABLED: 'false', SCHEDULER_ENABLED: 'true', CRON_OVERRIDES: JSON.stringify({ 'timers.scan': '* * * * * *' }) };
    const first = await startTestServer({ database, env });
    const second = await startTestServer({ database, env: { ...env, APP_SECRET: first.env.APP_SECRET!, REDIS_PREFIX: first.env.REDIS_PREFIX! } });
    instances = [first, second];
  }, 120_000);

  afterAll(async () => {
    for (const instance of instances) await instance.stop();
    await database?.drop();
  });

  it('records each escalation of an order once and queues one notice, however both instances race', async () => {
    const [a, b] = instances as [TestServer, TestServer];
    const admin = await a.login('admin');
    await publishFlow(
      a,
      admin,
      'wo_two_instances',
      oneTaskFlow({ assignee: { strategy: 'role', roleCode: 'technician' }, timeLimit: { minutes: 60, calendar: 'default' }, escalations: [{ atPercent: 50, action: 'remind_assignee' }, { atPercent: 100, action: 'notify_store_manager' }] }),
    );
    const sh01 = await storeIdOf(a, 'SH01');
    const orders = await Promise.all(Array.from({ length: 10 }, () => createOrder(a, admin, { flowCode: 'wo_two_instances', storeId: sh01 })));
    const ids = orders.map((o) => o.id);
    const { models } = a.running.services;
    // Due now: both instances' scheduled scans and in-process wake-ups compete for them, and so do explicit scans.
    await models.Timer.update({ due_at: new Date(Date.now() - 1000) }, { where: { subject_type: 'work_order', subject_id: ids.map(String) } });
    await Promise.all([a.running.services.timers.scanDue(), b.running.services.timers.scanDue(), a.running.services.timers.scanDue(), b.running.services.timers.scanDue()]);
    await waitUntil(async () => (await models.Timer.count({ where: { subject_type: 'work_order', subject_id: ids.map(String), status: 'pending' } })) === 0, 20_000);

    const firedBy = new Set<string>();
    for (const id of ids) {
      const { history } = await orderOf(b, admin, id);
      expect(history.filter((e) => e.type === 'reminded')).toHaveLength(1);
      expect(history.filter((e) => e.type === 'escalated')).toHaveLength(1);
      const timers = await models.Timer.findAll({ where: { subject_type: 'work_order', subject_id: String(id) }, raw: true });
      expect(timers.map((t) => t.status)).toEqual(['fired', 'fired']);
      timers.forEach((t) => firedBy.add(String(t.fired_by)));
    }
    const notices = (await models.Job.findAll({ where: { type: 'work_order.notify' }, raw: true })).map((job) => JSON.parse(job.payload) as { orderId: number; title: string });
    for (const id of ids) expect(notices.filter((n) => n.orderId === id && n.title.startsWith('工单超时提醒'))).toHaveLength(2);
    expect(await models.AuditLog.count({ where: { action: 'work_order.reminded', target_id: ids.map(String) } })).toBe(ids.length);
    expect([...firedBy].every((by) => instances.some((i) => i.running.services.instanceId === by))).toBe(true);
  }, 60_000);
});
