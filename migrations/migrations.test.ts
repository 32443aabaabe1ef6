import { createMigrator } from '../server/src/core/db/migrator';
import { createDatabase, type Database } from '../server/src/core/db/database';
import { defineModels } from '../server/src/core/db/models';
import { createLogger } from '../server/src/core/logger';
import { createTestDatabase, type TestDatabase } from '../server/src/testing/test-database';
import { migrations } from '.';

/** Runs on SQLite by default and on MySQL/MariaDB when DB_URL points at one. */
describe('migrations', () => {
  let target: TestDatabase;
  let db: Database;

  beforeAll(async () => {
    target = await createTestDatabase();
    db = createDatabase(target.url, createLogger('silent'));
  });
  afterAll(async () => {
    await db.close();
    await target.drop();
  });

  const tables = async () => (await db.sequelize.getQueryInterface().showAllTables()).map(String).filter((t) => t !== 'schema_migrations').sort();

  it('go up, all the way down and up again', async () => {
    const migrator = createMigrator(db, createLogger('silent'));
    await migrator.up();
    const afterUp = await tables();
    expect(afterUp).toEqual(expect.arrayContaining(['audit_logs', 'customers', 'jobs', 'regions', 'roles', 'sessions', 'stores', 'users']));
    expect((await migrator.executed()).map((m) => m.name)).toEqual(migrations.map((m) => m.name));

    await migrator.down({ to: 0 });
    expect(await tables()).toEqual([]);
    expect(await migrator.executed()).toEqual([]);

    await migrator.up();
    expect(await tables()).toEqual(afterUp);
  });

  it('stores instants with millisecond precision in UTC', async () => {
    const at = new Date('2026-03-01T16:30:45.123Z');
    await defineModels(db.sequelize).CronRun.create({ job: 'precision', tick_at: at, instance_id: 'x', status: 'done', started_at: at });
    const [rows] = await db.sequelize.query("SELECT tick_at FROM cron_runs WHERE job = 'precision'");
    const stored = (rows as Array<{ tick_at: Date | string }>)[0]?.tick_at;
    const asDate = stored instanceof Date ? stored : new Date(`${String(stored).replace(' ', 'T').replace(' +00:00', '')}Z`);
    expect(asDate.toISOString()).toBe(at.toISOString());
  });

  it('uses utf8mb4 on MySQL/MariaDB', async () => {
    if (db.dialect !== 'mysql') return;
    const [rows] = await db.sequelize.query("SELECT TABLE_COLLATION AS collation FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'customers'");
    expect((rows as Array<{ collation: string }>)[0]?.collation).toMatch(/^utf8mb4/);
  });
});
