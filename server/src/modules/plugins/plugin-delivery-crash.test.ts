import { QueryTypes } from 'sequelize';
import { createDatabase } from '../../core/db/database';
import { defineModels } from '../../core/db/models';
import { createLogger } from '../../core/logger';
import { crashTestEnv } from '../../testing/crash-test-kit';
import { killStrayServers, startServerProcess } from '../../testing/server-process';
import { apiClient } from '../../testing/test-server';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database';
import { waitUntil } from '../../testing/wait-until';
import { testPluginPath } from './plugin-test-kit';

describe('a hook delivery interrupted by a crash', () => {
  let database: TestDatabase;
  afterAll(async () => {
    killStrayServers();
    await database?.drop();
  });

  it('is delivered again after the restart and handled once', async () => {
    database = await createTestDatabase();
    const env = crashTestEnv(database, 'plugin-crash', { SEED_DEMO: 'true', DEMO_PASSWORD: 'demo-pass-123', PLUGIN_DISCOVERY: 'false', PLUGIN_PATHS: testPluginPath('recorder'), PLUGIN_HOOK_TIMEOUT_MS: '600000' });
    const db = createDatabase(database.url, createLogger('silent'));
    const models = defineModels(db.sequelize);
    try {
      const first = await startServerProcess(env);
      const api = apiClient(first.url);
      const login = await api<{ data: { token: string } }>('POST', '/api/auth/login', { body: { username: 'admin', password: 'admin-pass-123' } });
      const token = (login.body.data as { token: string }).token;
      await api('PUT', '/api/system/plugins/recorder/settings', { token, body: { settings: { label: 'crash', hangFirstAttempt: true } } });
      expect((await api('POST', '/api/system/plugins/recorder/enable', { token })).status).toBe(200);
      const store = await models.Store.findOne({ where: { code: 'SH01' }, raw: true });
      const created = await api<{ data: { id: number } }>('POST', '/api/customers', { token, body: { name: '崩溃测试', storeId: Number(store!.id) } });
      const customerId = (created.body.data as { id: number }).id;

      // The first attempt did its work, then hangs: the process dies before acknowledging it.
      const seen = () => db.sequelize.query<{ delivery_id: string; attempt: number }>('SELECT delivery_id, attempt FROM plg_recorder_seen WHERE customer_id = :customerId', { type: QueryTypes.SELECT, replacements: { customerId } });
      await waitUntil(async () => (await seen()).length === 1, 90_000, 100);
      first.child.kill('SIGKILL');

      await startServerProcess(env);
      await waitUntil(async () => (await models.PluginDelivery.findOne({ where: { plugin: 'recorder' }, raw: true }))?.status === 'done', 120_000, 200);
      const delivery = (await models.PluginDelivery.findOne({ where: { plugin: 'recorder' }, raw: true }))!;
      expect(Number(delivery.attempts)).toBe(2);
      expect(await seen()).toEqual([{ delivery_id: `${delivery.event_id}:recorder`, attempt: 1 }]);
    } finally {
      await db.close();
    }
  }, 300_000);
});
