import { createDatabase } from '../../../server/src/core/db/database';
import { defineModels } from '../../../server/src/core/db/models';
import { createLogger } from '../../../server/src/core/logger';
import { crashTestEnv, sendThroughKill } from '../../../server/src/testing/crash-test-kit';
import { killStrayServers, startServerProcess } from '../../../server/src/testing/server-process';
import { apiClient } from '../../../server/src/testing/test-server';
import { createTestDatabase, type TestDatabase } from '../../../server/src/testing/test-database';
import { waitUntil } from '../../../server/src/testing/wait-until';
import { DouyinSimulator } from './simulator/douyin-simulator';

const ORDERS = 150;
const CONCURRENCY = 16;
const credentials = { appKey: 'dy_crash_key', appSecret: 'dy_crash_secret_0123456789' };

describe('a server killed during a burst of Douyin pushes', () => {
  let database: TestDatabase;
  let sim: DouyinSimulator;
  afterAll(async () => {
    killStrayServers();
    await sim?.stop();
    await database?.drop();
  });

  it('takes in exactly once every order it answered 200 to', async () => {
    database = await createTestDatabase();
    sim = await new DouyinSimulator({ ...credentials, shopId: '100003', seed: 5 }).start();
    const env = crashTestEnv(database, 'order-crash');
    const pushes = Array.from({ length: ORDERS }, () => {
      const id = sim.placeOrder({ buyer: { city: '上海市徐汇区' } });
      sim.set(id, 'paid');
      return { id, request: sim.pushRequest('paid', id) };
    });

    const first = await startServerProcess(env);
    const api = apiClient(first.url);
    const login = await api<{ data: { token: string } }>('POST', '/api/auth/login', { body: { username: 'admin', password: 'admin-pass-123' } });
    const token = login.body.data.token;
    expect((await api('PUT', '/api/system/plugins/douyin/settings', { token, body: { settings: { ...credentials, accessToken: 'shop-token', apiBase: sim.apiBase } } })).status).toBe(200);
    expect((await api('POST', '/api/system/plugins/douyin/enable', { token })).status).toBe(200);

    const { acknowledged, killed } = await sendThroughKill(first, pushes, {
      concurrency: CONCURRENCY,
      key: (push) => push.id,
      send: (url, push) => fetch(`${url}/api/plugins/douyin/push`, { method: 'POST', headers: push.request.headers, body: push.request.rawBody }),
    });
    expect(killed).toBe(true);
    expect(acknowledged.size).toBeGreaterThanOrEqual(ORDERS / 3);

    // Restart: the new instance's dispatch scan and expired job leases finish what the killed one left.
    const second = await startServerProcess(env);
    const db = createDatabase(database.url, createLogger('silent'));
    const models = defineModels(db.sequelize);
    try {
      await waitUntil(async () => (await models.OrderInbox.count({ where: { processed_at: null } })) === 0, 90_000, 250);
      const deliveries = await models.OrderInbox.findAll({ raw: true });
      const orders = await models.Order.findAll({ where: { platform: 'douyin' }, raw: true });
      const ordersById = new Map<string, number>();
      for (const order of orders) ordersById.set(order.platform_order_id, (ordersById.get(order.platform_order_id) ?? 0) + 1);
      // Each acknowledged push: its delivery stored and processed, and one order. Should one be
      // missing, the failure says which step lost it.
      const deliveryOf = new Map(deliveries.map((d) => [d.platform_order_id, d]));
      const fateOf = (id: string) => ({ delivery: deliveryOf.has(id) ? (deliveryOf.get(id)?.processed_at ? 'processed' : 'stored') : 'missing', orders: ordersById.get(id) ?? 0 });
      for (const id of acknowledged) expect([id, fateOf(id)]).toEqual([id, { delivery: 'processed', orders: 1 }]);
      expect([...ordersById.values()].every((count) => count === 1)).toBe(true);
      expect(deliveries.every((d) => d.order_id !== null && d.deliveries === 1)).toBe(true);
    } finally {
      await db.close();
      await second.terminate();
    }
  }, 240_000);
});
