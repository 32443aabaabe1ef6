import { envSchema } from '../../config/config.schema';
import type { Logger } from '../logger';
import { createTestDatabase } from '../../testing/test-database';
import { startTestServer } from '../../testing/test-server';
import { sequelizeOptionsFor } from './database';
import { connectionTargetOf } from './read-replicas';

const onMysql = Boolean(process.env.DB_URL && !process.env.DB_URL.startsWith('sqlite:'));

function recordingLogger() {
  const warnings: string[] = [];
  const log = { trace: () => undefined, warn: (_fields: unknown, message: string) => warnings.push(message) } as unknown as Logger;
  return { log, warnings };
}

describe('read replicas (DB_READ_URLS)', () => {
  it('parses a comma-separated list, dropping blanks, and names the variable of a bad entry', () => {
    const parsed = envSchema.parse({ DB_READ_URLS: ' mysql://ro:pw@replica-1:3307/scrm , ,mariadb://replica-2/scrm' });
    expect(parsed.DB_READ_URLS).toEqual(['mysql://ro:pw@replica-1:3307/scrm', 'mariadb://replica-2/scrm']);
    const bad = envSchema.safeParse({ DB_READ_URLS: 'mysql://replica-1/scrm,postgres://replica-2/scrm' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['DB_READ_URLS.1']);
  });

  it('turns a URL into the host, port, user, password and database Sequelize replication expects', () => {
    expect(connectionTargetOf('mariadb://ro%40x:p%3Ass@replica.local/scrm_prod')).toEqual({
      host: 'replica.local',
      port: 3306,
      username: 'ro@x',
      password: 'p:ss',
      database: 'scrm_prod',
    });
  });

  it('builds a write pool on DB_URL and one read pool entry per replica for MySQL/MariaDB', () => {
    const { log } = recordingLogger();
    const { options } = sequelizeOptionsFor('mysql://app:secret@primary:3306/scrm', log, { readUrls: ['mysql://ro:1@replica-1:3307/scrm', 'mysql://ro:2@replica-2/scrm'] });
    expect(options.replication).toEqual({
      write: { host: 'primary', port: 3306, username: 'app', password: 'secret', database: 'scrm' },
      read: [
        { host: 'replica-1', port: 3307, username: 'ro', password: '1', database: 'scrm' },
        { host: 'replica-2', port: 3306, username: 'ro', password: '2', database: 'scrm' },
      ],
    });
    expect(sequelizeOptionsFor('mysql://app@primary/scrm', log).options.replication).toBeUndefined();
  });

  it('ignores replicas on SQLite, with a warning', () => {
    const { log, warnings } = recordingLogger();
    const { options } = sequelizeOptionsFor('sqlite::memory:', log, { readUrls: ['mysql://replica/scrm'] });
    expect(options.replication).toBeUndefined();
    expect(warnings).toEqual([expect.stringContaining('DB_READ_URLS is ignored with SQLite')]);
  });

  (onMysql ? it : it.skip)('serves lists from the replica and keeps sign-in, writes and detail reads on the primary', async () => {
    const database = await createTestDatabase();
    // A replica that is the primary itself: every answer is right, and the counter shows where reads went.
    const server = await startTestServer({ database, env: { DB_READ_URLS: database.url } });
    try {
      const { db } = server.running.services;
      expect(db.replicas.count).toBe(1);
      const admin = await server.login('admin');
      const stores = await server.api<{ data: { items: Array<{ id: number }> } }>('GET', '/api/stores', { token: admin });
      const created = await server.api<{ data: { id: number } }>('POST', '/api/customers', { token: admin, body: { name: '副本测试客户', storeId: stores.body.data.items[0]?.id } });
      expect(created.status).toBe(200);
      const detail = await server.api('GET', `/api/customers/${created.body.data.id}`, { token: admin });
      expect(detail.status).toBe(200);
      expect(db.replicas.reads()).toBe(0);

      const list = await server.api<{ data: { items: Array<{ id: number }> } }>('GET', '/api/customers?pageSize=100', { token: admin });
      expect(list.status).toBe(200);
      expect(list.body.data.items.map((c) => c.id)).toContain(created.body.data.id);
      const afterList = db.replicas.reads();
      expect(afterList).toBeGreaterThan(0);
      expect((await server.api('GET', '/api/customers/stats', { token: admin })).status).toBe(200);
      expect(db.replicas.reads()).toBeGreaterThan(afterList);
    } finally {
      await server.stop();
      await database.drop();
    }
  });

  (onMysql ? it.skip : it)('starts on SQLite with DB_READ_URLS set, using the embedded database only', async () => {
    const server = await startTestServer({ env: { DB_READ_URLS: 'mysql://replica.invalid/scrm' } });
    try {
      expect(server.running.services.db.replicas.count).toBe(0);
      const admin = await server.login('admin');
      expect((await server.api('GET', '/api/customers', { token: admin })).status).toBe(200);
    } finally {
      await server.stop();
    }
  });
});
