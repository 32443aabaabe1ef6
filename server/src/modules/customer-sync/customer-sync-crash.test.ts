import { createDatabase } from '../../core/db/database';
import { defineModels } from '../../core/db/models';
import { createLogger } from '../../core/logger';
import { crashTestEnv } from '../../testing/crash-test-kit';
import { killStrayServers, startServerProcess } from '../../testing/server-process';
import { apiClient } from '../../testing/test-server';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database';
import { waitUntil } from '../../testing/wait-until';
import { mirrorSandboxTags, startSyncSandbox, storedCounts } from './customer-sync-test-kit';

describe('a server killed during the full customer sync', () => {
  let database: TestDatabase;
  let kit: Awaited<ReturnType<typeof startSyncSandbox>>;
  afterAll(async () => {
    killStrayServers();
    await kit?.sandbox.close();
    await database?.drop();
  });

  it('resumes the same run from its last cursor after a restart and ends with no duplicate and no missing customer', async () => {
    database = await createTestDatabase();
    kit = await startSyncSandbox({ employees: 6, customers: 2500, seed: 5 });
    // Slow WeCom down so that the kill lands mid-sync.
    kit.sandbox.control.setFaults({ latencyMs: 40 });
    const env = crashTestEnv(database, 'sync-crash', { ...kit.env, SCHEDULER_ENABLED: 'false' });
    const first = await startServerProcess(env);
    const db = createDatabase(database.url, createLogger('silent'));
    const models = defineModels(db.sequelize);
    try {
      await mirrorSandboxTags(models, kit.sandbox);
      const api = apiClient(first.url);
      const login = await api<{ data: { token: string } }>('POST', '/api/auth/login', { body: { username: 'admin', password: 'admin-pass-123' } });
      const token = login.body.data.token;
      const started = await api<{ data: { id: number } }>('POST', '/api/wecom/sync/customers', { token });
      expect(started.status).toBe(200);
      const runId = started.body.data.id;
      const expected = kit.expected();

      await waitUntil(async () => Number((await models.SyncRun.findByPk(runId, { raw: true }))?.processed ?? 0) >= expected.relations / 3, 60_000, 20);
      first.child.kill('SIGKILL');
      const atKill = await models.SyncRun.findByPk(runId, { raw: true });
      expect(atKill?.status).toBe('running');
      const cursorAtKill = JSON.parse(atKill?.cursor ?? '{}') as { pages: number };
      expect(cursorAtKill.pages).toBeGreaterThan(0);
      expect(Number(atKill?.processed)).toBeLessThan(expected.relations);

      const second = await startServerProcess(env);
      try {
        await waitUntil(async () => (await models.SyncRun.findByPk(runId, { raw: true }))?.status === 'done', 120_000, 250);
        const run = await models.SyncRun.findByPk(runId, { raw: true });
        const report = JSON.parse(run?.report ?? '{}') as Record<string, number>;
        // The same run finished; its counts carried over the crash, so they are exact only if it resumed from the cursor.
        expect(await models.SyncRun.count({ where: { kind: 'customers' } })).toBe(1);
        expect(report).toMatchObject({ customers: expected.customers, relations: expected.relations, customersCreated: expected.customers, followsCreated: expected.relations });
        expect(await storedCounts(models)).toEqual({ customers: expected.customers, follows: expected.relations, tagMarks: expected.tagMarks });
        const [dupes] = await db.sequelize.query('SELECT external_userid FROM customers GROUP BY external_userid HAVING COUNT(*) > 1');
        expect(dupes).toEqual([]);
      } finally {
        await second.terminate();
      }
    } finally {
      await db.close();
    }
  }, 240_000);
});
