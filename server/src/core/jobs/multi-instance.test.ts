import { randomBytes } from 'node:crypto';
import { loadConfig } from '../../config/load-config';
import { createDatabase } from '../db/database';
import { defineModels } from '../db/models';
import { createLogger } from '../logger';
import { killStrayServers, startServerProcess, type ServerProcess } from '../../testing/server-process';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database';
import { waitUntil } from '../../testing/wait-until';
import { apiClient, TEST_ADMIN_PASSWORD, TEST_DEMO_PASSWORD } from '../../testing/test-server';

const production = Boolean(process.env.DB_URL?.startsWith('mysql') && process.env.REDIS_URL);
const suite = production ? describe : describe.skip;
if (!production) {
  // Several instances need a shared database and Redis; the embedded default is one process.
  process.stderr.write('multi-instance suite skipped: set DB_URL=mysql://… and REDIS_URL=redis://… to run it\n');
}

suite('several server processes on one MySQL/MariaDB and Redis', () => {
  let database: TestDatabase;
  let instances: ServerProcess[] = [];
  let env: Record<string, string>;

  beforeAll(async () => {
    database = await createTestDatabase();
    env = {
      NODE_ENV: 'production',
      DB_URL: database.url,
      // Shared, as on one host: the sandbox chat archive each instance would generate lives here.
      DATA_DIR: database.dataDir,
      REDIS_URL: process.env.REDIS_URL ?? '',
      REDIS_PREFIX: `scrm-multi:${randomBytes(4).toString('hex')}:`,
      APP_SECRET: randomBytes(32).toString('hex'),
      ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
      DEMO_PASSWORD: TEST_DEMO_PASSWORD,
      SEED_DEMO: 'true',
      LOG_LEVEL: 'warn',
      CRON_OVERRIDES: JSON.stringify({ 'sessions.purge': '*/2 * * * * *' }),
    };
    // Started together, as an orchestrator would: they race to migrate and seed.
    instances = await Promise.all([startServerProcess(env), startServerProcess(env)]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(instances.map((i) => (i.child.exitCode === null ? i.terminate() : null)));
    killStrayServers();
    await database?.drop();
  });

  it('migrates and seeds once even when started together', async () => {
    const admin = apiClient(instances[0]!.url);
    const login = await admin<{ data: { token: string } }>('POST', '/api/auth/login', { body: { username: 'admin', password: TEST_ADMIN_PASSWORD } });
    const regions = await admin<{ data: unknown[] }>('GET', '/api/regions', { token: login.body.data.token });
    expect(regions.body.data).toHaveLength(2);
    // The sandbox chat archive and its key are generated (after the instances answer) by one
    // instance; the other finds them.
    const keyChanges = async () => (await admin<{ data: { items: Array<{ action: string }> } }>('GET', '/api/audit-logs?targetType=archive_key', { token: login.body.data.token })).body.data.items.map((entry) => entry.action);
    await waitUntil(async () => (await keyChanges()).length > 0, 60_000, 250);
    expect(await keyChanges()).toEqual(['archive.key_added']);
  });

  it('runs a job scheduled every two seconds once per tick across instances', async () => {
    const log = createLogger('silent');
    const db = createDatabase(loadConfig({ ...env }).DB_URL, log);
    const models = defineModels(db.sequelize);
    try {
      let ticks = new Map<string, number>();
      await waitUntil(async () => {
        const rows = await models.CronRun.findAll({ where: { job: 'sessions.purge' }, raw: true });
        ticks = new Map();
        for (const row of rows) {
          const tick = new Date(row.tick_at).toISOString();
          ticks.set(tick, (ticks.get(tick) ?? 0) + 1);
        }
        return ticks.size >= 4;
      }, 30_000, 500);
      expect(ticks.size).toBeGreaterThanOrEqual(4);
      expect([...ticks.entries()].filter(([, count]) => count !== 1)).toEqual([]);
    } finally {
      await db.close();
    }
  });

  it('accepts a session on every instance and refuses it on every instance once revoked', async () => {
    const [a, b] = instances.map((i) => apiClient(i.url));
    const login = await a!<{ data: { token: string } }>('POST', '/api/auth/login', { body: { username: 'staff_sh01', password: TEST_DEMO_PASSWORD } });
    const token = login.body.data.token;
    expect((await b!('GET', '/api/auth/me', { token })).status).toBe(200);
    await b!('POST', '/api/auth/logout', { token });
    expect((await a!('GET', '/api/auth/me', { token })).status).toBe(401);
  });

  it('shuts down cleanly on SIGTERM', async () => {
    const codes = await Promise.all(instances.map((i) => i.terminate()));
    expect(codes).toEqual([0, 0]);
  });
});
