import { createTestDatabase, type TestDatabase } from '../../../testing/test-database';
import { startTestServer, type TestServer } from '../../../testing/test-server';
import { waitUntil } from '../../../testing/wait-until';
import { dormantRule, seedDormantCustomers, type DormantFixture } from './rule-test-kit';

const production = Boolean(process.env.DB_URL?.startsWith('mysql') && process.env.REDIS_URL);
const suite = production ? describe : describe.skip;
if (!production) {
  // Two instances need a shared database server; the embedded SQLite file is for one process.
  process.stderr.write('multi-instance automation rule suite skipped: set DB_URL=mysql://… and REDIS_URL=redis://… to run it\n');
}

const JOB = 'engagement.rules.scheduled';

suite('automation rules on two instances sharing MariaDB and Redis', () => {
  let database: TestDatabase;
  let instances: TestServer[] = [];
  let tokens: string[] = [];
  let fixture: DormantFixture;
  const label = 'rulemi';

  beforeAll(async () => {
    database = await createTestDatabase();
    const env = { SCHEDULER_ENABLED: 'true', JOB_WORKER_ENABLED: 'false', CRON_OVERRIDES: JSON.stringify({ [JOB]: '* * * * * *' }) };
    const first = await startTestServer({ database, env });
    const second = await startTestServer({ database, env: { ...env, APP_SECRET: first.env.APP_SECRET!, REDIS_PREFIX: first.env.REDIS_PREFIX! } });
    instances = [first, second];
    tokens = await Promise.all(instances.map((i) => i.login('admin')));
    fixture = await seedDormantCustomers(first, label, 300);
  }, 120_000);

  afterAll(async () => {
    for (const instance of instances) await instance.stop();
    await database?.drop();
  });

  it('fires once per customer when both instances run the rule at the same time', async () => {
    const [first, second] = instances as [TestServer, TestServer];
    const created = await first.api<{ data: { id: number } }>('POST', '/api/engagement/rules', { token: tokens[0], body: dormantRule(fixture, label) });
    const id = created.body.data.id;
    const runs = await Promise.all([first, second, first, second].map((server, i) => server.api<{ data: { fired: number } }>('POST', `/api/engagement/rules/${id}/run`, { token: tokens[i % 2] })));
    expect(runs.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(runs.reduce((sum, r) => sum + r.body.data.fired, 0)).toBe(fixture.dormantIds.length);
    const { models } = first.running.services;
    expect(await models.EngagementRuleFiring.count({ where: { rule_id: id } })).toBe(fixture.dormantIds.length);
    expect(await models.CustomerTimeline.count({ where: { kind: 'rule.fired', customer_id: fixture.dormantIds } })).toBe(fixture.dormantIds.length);
  });

  it('runs an enabled rule by cron on one instance per tick, firing once per customer per period', async () => {
    const [first, second] = instances as [TestServer, TestServer];
    const { models } = first.running.services;
    const created = await second.api<{ data: { id: number } }>('POST', '/api/engagement/rules', { token: tokens[1], body: { ...dormantRule(fixture, label), name: '定时沉睡唤醒', enabled: true } });
    const id = created.body.data.id;
    await waitUntil(async () => (await models.EngagementRuleFiring.count({ where: { rule_id: id } })) === fixture.dormantIds.length, 20_000);
    const ticksBefore = await models.CronRun.count({ where: { job: JOB, status: 'done' } });
    // a few more ticks: nobody fires twice in the same period
    await waitUntil(async () => (await models.CronRun.count({ where: { job: JOB, status: 'done' } })) >= ticksBefore + 3, 20_000);
    expect(await models.EngagementRuleFiring.count({ where: { rule_id: id } })).toBe(fixture.dormantIds.length);
    const ticks = await models.CronRun.findAll({ where: { job: JOB }, attributes: ['tick_at', 'instance_id'], raw: true });
    expect(new Set(ticks.map((t) => new Date(t.tick_at).getTime())).size).toBe(ticks.length);
  });
});
