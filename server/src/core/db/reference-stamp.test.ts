import { startTestServer, type TestServer } from '../../testing/test-server';
import { createChangeStamp } from '../kv/change-stamp';
import { createMemoryStore } from '../kv/kv-store';
import { createLogger } from '../logger';
import { createDatabase, type Database } from './database';
import { defineModels, type Models } from './models';
import { referenceDataChanged, stampReferenceWrites } from './reference-stamp';

interface CustomerPage {
  data: { items: Array<{ storeId: number | null; storeName: string | null }> };
}

/** Reference data (sessions, users, roles, stores, stages) changed on one instance is what the next request on another sees. */
describe('reference data across instances', () => {
  let first: TestServer;
  let second: TestServer;
  let admin: string;

  beforeAll(async () => {
    // No job workers: nothing but the test writes reference data meanwhile.
    first = await startTestServer({ env: { JOB_WORKER_ENABLED: 'false' } });
    // A second instance on the same database (and the same Redis, when configured).
    second = await startTestServer({ database: first.database, env: { ...first.env } });
    admin = await first.login('admin');
  });
  afterAll(async () => {
    await second.stop();
    await first.stop();
  });

  const customers = async (server: TestServer, token: string) => (await server.api<CustomerPage>('GET', '/api/customers?page=1&pageSize=100', { token })).body.data.items;
  const userId = async (username: string) => (await first.api<{ data: { items: Array<{ id: number }> } }>('GET', `/api/users?q=${username}`, { token: admin })).body.data.items[0]!.id;

  it('names a renamed store anew on the other instance at once', async () => {
    const listed = (await customers(second, admin)).find((c) => c.storeId !== null)!;
    const renamed = `${listed.storeName} (renamed)`;
    expect((await first.api('PATCH', `/api/stores/${listed.storeId}`, { token: admin, body: { name: renamed } })).status).toBe(200);
    const again = await customers(second, admin);
    expect(again.filter((c) => c.storeId === listed.storeId).map((c) => c.storeName)).toEqual(again.filter((c) => c.storeId === listed.storeId).map(() => renamed));
  });

  it("shows a signed-in user moved to another store that store's customers at once, on every instance", async () => {
    const token = await first.login('manager_sh01');
    const storesSeen = async () => [...new Set((await customers(second, token)).map((c) => c.storeId))];
    const [ownStore] = await storesSeen();
    const otherStore = (await customers(second, admin)).map((c) => c.storeId).find((id) => id !== null && id !== ownStore)!;
    expect((await first.api('PATCH', `/api/users/${await userId('manager_sh01')}`, { token: admin, body: { storeId: otherStore } })).status).toBe(200);
    expect(await storesSeen()).toEqual([otherStore]);
  });

  // Without Redis an instance cannot tell the others of a change, so each reads its sessions anew.
  (process.env.REDIS_URL ? it : it.skip)('resolves a signed-in request without the database while nothing changed, and reads it again after a change', async () => {
    const sequelize = second.running.services.models.Session.sequelize!;
    const sessionReads = jest.spyOn(sequelize, 'query');
    const readsOfSessions = () => sessionReads.mock.calls.filter(([sql]) => String(sql).includes('FROM sessions')).length;
    try {
      const token = await first.login('staff_sh01');
      expect((await second.api('GET', '/api/auth/me', { token })).status).toBe(200);
      const afterFirst = readsOfSessions();
      expect(afterFirst).toBe(1);
      expect((await second.api('GET', '/api/auth/me', { token })).status).toBe(200);
      expect(readsOfSessions()).toBe(afterFirst);
      await first.login('staff_sh01');
      expect((await second.api('GET', '/api/auth/me', { token })).status).toBe(200);
      expect(readsOfSessions()).toBe(afterFirst + 1);
    } finally {
      sessionReads.mockRestore();
    }
  });
});

describe('reference data stamp', () => {
  let server: TestServer;
  let db: Database;
  let models: Models;
  const stamp = createChangeStamp(createMemoryStore(), 'stamp');

  beforeAll(async () => {
    server = await startTestServer();
    // Models of their own on the server's database, stamped by this test.
    db = createDatabase(server.database.url, createLogger('silent'));
    models = defineModels(db.sequelize);
    stampReferenceWrites(models, stamp, createLogger('silent'));
  });
  afterAll(async () => {
    await db.close();
    await server.stop();
  });

  const renameStore = (name: string, transaction?: Parameters<Parameters<Database['transaction']>[0]>[0]) => models.Store.update({ name }, { where: { id: 1 }, transaction });

  it('is renewed once a write outside a transaction is made', async () => {
    const before = await stamp.current();
    await renameStore('总店');
    expect(await stamp.current()).not.toBe(before);
  });

  it('is renewed when the transaction commits, not while it runs, nor when it rolls back', async () => {
    const before = await stamp.current();
    await expect(
      db.transaction(async (tx) => {
        await renameStore('回滚的名字', tx);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await stamp.current()).toBe(before);
    let duringTransaction: string | null = null;
    await db.transaction(async (tx) => {
      await db.sequelize.transaction({ transaction: tx }, (savepoint) => renameStore('保存点里的名字', savepoint));
      duringTransaction = await stamp.current();
    });
    expect(duringTransaction).toBe(before);
    expect(await stamp.current()).not.toBe(before);
  });

  it('is renewed by every kind of write to what it watches, and by a migration', async () => {
    const writes: Array<() => Promise<unknown>> = [
      () => models.CustomerStage.create({ code: 'vip_test', name_zh: '测试阶段', name_en: 'Test stage' }),
      () => models.CustomerStage.destroy({ where: { code: 'vip_test' } }),
      () => models.Role.update({ name: '管理员' }, { where: { code: 'admin' } }),
      () => models.Session.destroy({ where: { id: 'no-such-session' } }),
      () => referenceDataChanged(models),
    ];
    for (const write of writes) {
      const before = await stamp.current();
      await write();
      expect(await stamp.current()).not.toBe(before);
    }
  });
});
