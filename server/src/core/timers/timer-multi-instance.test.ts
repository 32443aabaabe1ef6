import { createTestDatabase, type TestDatabase } from '../../testing/test-database';
import { startTestServer, type TestServer } from '../../testing/test-server';
import { waitUntil } from '../../testing/wait-until';

const production = Boolean(process.env.DB_URL?.startsWith('mysql') && process.env.REDIS_URL);
const suite = production ? describe : describe.skip;
if (!production) {
  // Two instances need a shared database server; the embedded SQLite file is for one process.
  process.stderr.write('multi-instance timer suite skipped: set DB_URL=mysql://… and REDIS_URL=redis://… to run it\n');
}

suite('durable timers on two instances sharing MySQL/MariaDB and Redis', () => {
  let database: TestDatabase;
  let instances: TestServer[] = [];
  /** Timer id → the instances whose handler ran for it. */
  const runs = new Map<number, string[]>();

  beforeAll(async () => {
    database = await createTestDatabase();
    const env = { SCHEDULER_ENABLED: 'true', CRON_OVERRIDES: JSON.stringify({ 'timers.scan': '* * * * * *' }) };
    const first = await startTestServer({ database, env });
    const second = await startTestServer({ database, env: { ...env, APP_SECRET: first.env.APP_SECRET!, REDIS_PREFIX: first.env.REDIS_PREFIX! } });
    instances = [first, second];
    for (const instance of instances) {
      const { timers, instanceId } = instance.running.services;
      for (const kind of ['test.escalate', 'test.race']) {
        timers.on(kind, async (timer) => {
          runs.set(timer.id, [...(runs.get(timer.id) ?? []), instanceId]);
        });
      }
    }
  }, 120_000);

  afterAll(async () => {
    for (const instance of instances) await instance.stop();
    await database?.drop();
  });

  const statuses = async (ids: number[]) => {
    const rows = await instances[0]!.running.services.models.Timer.findAll({ where: { id: ids }, raw: true });
    return rows.map((row) => row.status);
  };

  it('fires each escalation once, whichever instance scans or wakes up first', async () => {
    const [a, b] = instances.map((i) => i.running.services.timers);
    const ids: number[] = [];
    for (let i = 0; i < 40; i += 1) {
      const timers = i % 2 ? a! : b!;
      // Some already due, some due within the next second and a half (in-process wake-ups).
      ids.push(await timers.schedule({ kind: 'test.escalate', subjectType: 'order', subjectId: i, dueAt: new Date(Date.now() + (i % 4 === 0 ? -1000 : (i % 3) * 500)) }));
    }
    await waitUntil(async () => (await statuses(ids)).every((s) => s === 'fired'), 20_000);
    expect(ids.map((id) => runs.get(id)?.length)).toEqual(ids.map(() => 1));
  }, 30_000);

  it('fires each timer once when both instances scan at the same moment', async () => {
    const [a, b] = instances.map((i) => i.running.services.timers);
    const due = new Date(Date.now() - 1000);
    const ids = await Promise.all(Array.from({ length: 200 }, (_, i) => a!.schedule({ kind: 'test.race', subjectType: 'race', subjectId: i, dueAt: due })));
    await Promise.all([a!.scanDue(), b!.scanDue(), a!.scanDue(), b!.scanDue()]);
    await waitUntil(async () => (await statuses(ids)).every((s) => s === 'fired'), 20_000);
    expect(ids.map((id) => runs.get(id)?.length)).toEqual(ids.map(() => 1));
    const firedBy = new Set((await instances[0]!.running.services.models.Timer.findAll({ where: { id: ids }, raw: true })).map((row) => row.fired_by));
    expect([...firedBy].every((by) => instances.some((i) => i.running.services.instanceId === by))).toBe(true);
  }, 30_000);
});
