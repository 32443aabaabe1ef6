import { DataTypes } from 'sequelize';
import { idColumn, instant, longText, tableOptions, timestamps, type MigrationContext } from './helpers';

export const name = '0021-plugins';

const str = (length: number, allowNull = true) => ({ type: DataTypes.STRING(length), allowNull });

/**
 * Plugins: their state (enabled, store rollout, settings), the migrations each applied in its own
 * namespace, the outbox of core events, one delivery per (event, plugin), and counted failures of
 * filters, routes, jobs and steps.
 */
export async function up({ queryInterface: qi }: MigrationContext): Promise<void> {
  const json = longText(qi);
  await qi.createTable(
    'plugin_states',
    {
      id: idColumn(),
      name: str(64, false),
      enabled: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      // all | percent | stores
      rollout_mode: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'all' },
      rollout_percent: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 100 },
      rollout_store_ids: { type: DataTypes.TEXT, allowNull: true },
      // JSON; secret values encrypted with the field cipher.
      settings: { type: json, allowNull: true },
      installed_version: str(32),
      ...timestamps(),
    },
    tableOptions,
  );
  await qi.addIndex('plugin_states', ['name'], { name: 'plugin_states_name', unique: true });

  await qi.createTable(
    'plugin_migrations',
    { id: idColumn(), plugin: str(64, false), name: str(128, false), applied_at: instant() },
    tableOptions,
  );
  await qi.addIndex('plugin_migrations', ['plugin', 'name'], { name: 'plugin_migrations_unique', unique: true });

  await qi.createTable(
    'outbox_events',
    {
      id: idColumn(),
      event: str(64, false),
      payload: { type: json, allowNull: false },
      store_id: { type: DataTypes.BIGINT, allowNull: true },
      occurred_at: instant(),
      // pending (fan-out queued) | dispatched
      status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'pending' },
    },
    tableOptions,
  );
  await qi.addIndex('outbox_events', ['event', 'id'], { name: 'outbox_events_event' });

  await qi.createTable(
    'plugin_deliveries',
    {
      id: idColumn(),
      event_id: { type: DataTypes.BIGINT, allowNull: false, references: { model: 'outbox_events', key: 'id' }, onDelete: 'CASCADE' },
      plugin: str(64, false),
      event: str(64, false),
      // pending | done | dead | skipped
      status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'pending' },
      attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      replays: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      last_error: { type: DataTypes.TEXT, allowNull: true },
      delivered_at: instant(true),
      ...timestamps(),
    },
    tableOptions,
  );
  await qi.addIndex('plugin_deliveries', ['event_id', 'plugin'], { name: 'plugin_deliveries_unique', unique: true });
  await qi.addIndex('plugin_deliveries', ['plugin', 'status'], { name: 'plugin_deliveries_plugin_status' });

  await qi.createTable(
    'plugin_failures',
    {
      id: idColumn(),
      plugin: str(64, false),
      // hook | filter | route | job | node
      kind: str(16, false),
      target: str(128, false),
      error: { type: DataTypes.TEXT, allowNull: false },
      at: instant(),
    },
    tableOptions,
  );
  await qi.addIndex('plugin_failures', ['plugin', 'at'], { name: 'plugin_failures_plugin_at' });
}

export async function down({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.dropTable('plugin_failures');
  await qi.dropTable('plugin_deliveries');
  await qi.dropTable('outbox_events');
  await qi.dropTable('plugin_migrations');
  await qi.dropTable('plugin_states');
}
