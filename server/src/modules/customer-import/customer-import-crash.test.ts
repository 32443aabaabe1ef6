import { openAsBlob } from 'node:fs';
import { join } from 'node:path';
import { Op } from 'sequelize';
import { createDatabase } from '../../core/db/database';
import { defineModels } from '../../core/db/models';
import { createLogger } from '../../core/logger';
import { crashTestEnv } from '../../testing/crash-test-kit';
import { killStrayServers, startServerProcess, type ServerProcess } from '../../testing/server-process';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database';
import { waitUntil } from '../../testing/wait-until';
import type { CustomerImportView } from './customer-import.schemas';
import { writeCustomerCsv } from './import-test-helpers';

const ROWS = 20_000;
const BAD_EVERY = 1000;

describe('a server killed in the middle of an import', () => {
  let database: TestDatabase;
  afterAll(async () => {
    killStrayServers();
    await database?.drop();
  });

  async function signIn(server: ServerProcess): Promise<string> {
    const reply = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'admin-pass-123' }) });
    return ((await reply.json()) as { data: { token: string } }).data.token;
  }

  const importOf = async (server: ServerProcess, token: string, id: number) =>
    ((await (await fetch(`${server.url}/api/customers/imports/${id}`, { headers: { authorization: `Bearer ${token}` } })).json()) as { data: CustomerImportView }).data;

  it('finishes the import after a restart with every row written exactly once', async () => {
    database = await createTestDatabase();
    const env = crashTestEnv(database, 'import-crash', { DEMO_PASSWORD: 'demo-pass-123', SEED_DEMO: 'true', JOB_LEASE_MS: '1500', SCHEDULER_ENABLED: 'false' });
    const file = join(database.dataDir, 'crash.csv');
    await writeCustomerCsv(file, ROWS, { storeCodes: ['SH01', 'HZ01'], badEvery: BAD_EVERY, phonePrefix: '134' });

    const first = await startServerProcess(env);
    let token = await signIn(first);
    const form = new FormData();
    form.append('file', await openAsBlob(file), 'crash.csv');
    const uploaded = (await (await fetch(`${first.url}/api/customers/imports`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form })).json()) as { data: CustomerImportView };
    const id = uploaded.data.id;

    // Kill the process (no shutdown at all) once part of the file is committed.
    let seen: CustomerImportView | undefined;
    await waitUntil(async () => {
      seen = await importOf(first, token, id);
      return seen.processedRows >= 2000;
    }, 60_000, 50);
    first.child.kill('SIGKILL');
    expect(seen?.processedRows).toBeLessThan(ROWS);

    const second = await startServerProcess(env);
    token = await signIn(second);
    await waitUntil(async () => (await importOf(second, token, id)).status === 'done', 120_000, 250);
    const done = await importOf(second, token, id);
    expect(done).toMatchObject({ processedRows: ROWS, totalRows: ROWS, createdCount: ROWS - ROWS / BAD_EVERY, failedCount: ROWS / BAD_EVERY, updatedCount: 0 });
    await second.terminate();

    const db = createDatabase(database.url, createLogger('silent'));
    const models = defineModels(db.sequelize);
    try {
      const [[dupes]] = (await db.sequelize.query('SELECT COUNT(*) AS n FROM (SELECT phone_bidx FROM customers WHERE phone_bidx IS NOT NULL GROUP BY store_id, phone_bidx HAVING COUNT(*) > 1) d')) as [Array<{ n: number }>, unknown];
      expect(Number(dupes?.n)).toBe(0);
      expect(await models.CustomerImportError.count({ where: { import_id: id } })).toBe(ROWS / BAD_EVERY);
      expect(await models.CustomerTimeline.count({ where: { kind: 'customer.imported' } })).toBe(ROWS - ROWS / BAD_EVERY);
      expect(await models.CustomerNote.count({ where: { body: { [Op.like]: '批量导入 %' } } })).toBe(ROWS - ROWS / BAD_EVERY);
    } finally {
      await db.close();
    }
  }, 240_000);
});
