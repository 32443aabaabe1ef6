import { createMemoryStore } from '../kv/kv-store';
import { startTestServer, type TestServer } from '../../testing/test-server';
import { waitUntil } from '../../testing/wait-until';
import { createScheduler } from './scheduler';

describe('scheduled jobs', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.stop());

  it('runs each tick once when several schedulers share one lock store', async () => {
    const { models, log } = server.running.services;
    const shared = createMemoryStore();
    const runs: string[] = [];
    const schedulers = ['a', 'b', 'c'].map((instanceId) => {
      const scheduler = createScheduler({ kv: shared, models, log, instanceId });
      scheduler.register({ name: 'test.every-second', schedule: '* * * * * *', run: async (tick) => void runs.push(tick.toISOString()) });
      return scheduler;
    });
    schedulers.forEach((s) => s.start());
    try {
      await waitUntil(async () => (await models.CronRun.count({ where: { job: 'test.every-second', status: 'done' } })) >= 3, 10_000);
    } finally {
      await Promise.all(schedulers.map((s) => s.stop()));
    }
    expect(new Set(runs).size).toBe(runs.length);
    const rows = await models.CronRun.findAll({ where: { job: 'test.every-second' }, raw: true });
    const perTick = new Map<string, number>();
    for (const row of rows) perTick.set(new Date(row.tick_at).toISOString(), (perTick.get(new Date(row.tick_at).toISOString()) ?? 0) + 1);
    expect([...perTick.values()].every((count) => count === 1)).toBe(true);
  });

  it('rejects an invalid cron expression by job name', () => {
    const { models, log } = server.running.services;
    const scheduler = createScheduler({ kv: createMemoryStore(), models, log, instanceId: 'x', overrides: { 'test.bad': 'every tuesday' } });
    expect(() => scheduler.register({ name: 'test.bad', schedule: '* * * * *', run: async () => undefined })).toThrow('scheduled job test.bad: invalid cron expression "every tuesday"');
  });
});
