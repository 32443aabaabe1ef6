import { SequelizeStorage, Umzug } from 'umzug';
import { migrations, type MigrationContext } from '../../../../migrations';
import type { Logger } from '../logger';
import type { Database } from './database';

export function createMigrator(db: Database, log: Logger): Umzug<MigrationContext> {
  return new Umzug<MigrationContext>({
    migrations: migrations.map((migration) => ({
      name: migration.name,
      up: ({ context }) => migration.up(context),
      down: ({ context }) => migration.down(context),
    })),
    context: { queryInterface: db.sequelize.getQueryInterface() },
    storage: new SequelizeStorage({ sequelize: db.sequelize, tableName: 'schema_migrations' }),
    logger: {
      info: (event) => log.info(event, 'migration'),
      warn: (event) => log.warn(event, 'migration'),
      error: (event) => log.error(event, 'migration'),
      debug: (event) => log.debug(event, 'migration'),
    },
  });
}

/**
 * Runs `work` while holding a database-wide named lock, so that instances starting together migrate
 * and seed one after another. SQLite is single-process and needs none.
 */
export async function withStartupLock<T>(db: Database, work: () => Promise<T>): Promise<T> {
  if (db.dialect === 'sqlite') return work();
  return db.sequelize.transaction(async (holder) => {
    const [rows] = await db.sequelize.query("SELECT GET_LOCK('scrm_startup', 300) AS acquired", { transaction: holder });
    if (Number((rows as Array<{ acquired: number | null }>)[0]?.acquired) !== 1) {
      throw new Error('another instance has been migrating for 5 minutes: not starting alongside it');
    }
    try {
      return await work();
    } finally {
      await db.sequelize.query("SELECT RELEASE_LOCK('scrm_startup')", { transaction: holder });
    }
  });
}

/** Brings the schema up to date; returns the names of the migrations it applied. */
export async function migrateToLatest(db: Database, log: Logger): Promise<string[]> {
  return withStartupLock(db, async () => (await createMigrator(db, log).up()).map((m) => m.name));
}
