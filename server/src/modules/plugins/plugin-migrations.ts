import type { PluginDefinition } from '@scrm/plugin-sdk';
import type { Database } from '../../core/db/database';
import { AppError } from '../../core/errors';
import { pluginDatabase } from './plugin-context';
import type { PluginModels } from './plugin.models';

/**
 * Each plugin's migrations, in its own namespace: its tables are `plg_<plugin>_*` (the migration's
 * `db.query` refuses others) and what ran is recorded per plugin in `plugin_migrations`.
 */
export function createPluginMigrator(deps: { db: Database; models: PluginModels }) {
  const { db, models } = deps;

  const applied = async (plugin: string) => (await models.PluginMigration.findAll({ where: { plugin }, order: [['id', 'ASC']], raw: true })).map((row) => row.name);

  const migrationDb = (plugin: string) => {
    const scoped = pluginDatabase(db, plugin);
    return { dialect: db.dialect, table: scoped.table, query: (sql: string) => scoped.query(sql) };
  };

  return {
    applied,

    /** Applies the plugin's pending migrations in order; returns their names. */
    async up(plugin: PluginDefinition): Promise<string[]> {
      const done = new Set(await applied(plugin.name));
      const ran: string[] = [];
      for (const migration of plugin.migrations ?? []) {
        if (done.has(migration.name)) continue;
        try {
          await migration.up(migrationDb(plugin.name));
        } catch (error) {
          throw new AppError('CONFLICT', `plugin ${plugin.name}: migration ${migration.name} failed: ${error instanceof Error ? error.message : String(error)}`);
        }
        await db.exclusive(() => models.PluginMigration.create({ plugin: plugin.name, name: migration.name, applied_at: new Date() }));
        ran.push(migration.name);
      }
      return ran;
    },

    /** Reverts every applied migration of the plugin, newest first (its data goes with them). */
    async down(plugin: PluginDefinition): Promise<string[]> {
      const byName = new Map((plugin.migrations ?? []).map((m) => [m.name, m]));
      const reverted: string[] = [];
      for (const name of (await applied(plugin.name)).reverse()) {
        const migration = byName.get(name);
        if (!migration) throw new AppError('CONFLICT', `plugin ${plugin.name}: applied migration ${name} is no longer in the plugin; it cannot be reverted`);
        await migration.down(migrationDb(plugin.name));
        await db.exclusive(() => models.PluginMigration.destroy({ where: { plugin: plugin.name, name } }));
        reverted.push(name);
      }
      return reverted;
    },
  };
}

export type PluginMigrator = ReturnType<typeof createPluginMigrator>;
