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
 * Brings the schema up to date. On MySQL/MariaDB a named lock keeps instances that start together
 * from migrating at the same time; SQLite is single-process.
 */
export async function migrateToLatest(db: Database, log: Logger): Promise<string[]> {
  const migrator = createMigrator(db, log);
  if (db.dialect === 'sqlite') return (await migrator.up()).map((m) => m.name);
  return db.sequelize.transaction(async (holder) => {
    await db.sequelize.query("SELECT GET_LOCK('scrm_schema_migrations', 120)", { transaction: holder });
    try {
      return (await migrator.up()).map((m) => m.name);
    } finally {
      await db.sequelize.query("SELECT RELEASE_LOCK('scrm_schema_migrations')", { transaction: holder });
    }
  });
}
