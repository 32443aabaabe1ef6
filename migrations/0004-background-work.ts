import { DataTypes } from 'sequelize';
import { idColumn, instant, longText, tableOptions, timestamps, type MigrationContext } from './helpers';

export const name = '0004-background-work';

export async function up({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.createTable(
    'jobs',
    {
      id: idColumn(),
      type: { type: DataTypes.STRING(64), allowNull: false },
      payload: { type: longText(qi), allowNull: false },
      status: { type: DataTypes.STRING(16), allowNull: false },
      attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      max_attempts: { type: DataTypes.INTEGER, allowNull: false },
      run_at: instant(),
      locked_by: { type: DataTypes.STRING(64), allowNull: true },
      locked_until: instant(true),
      last_error: { type: DataTypes.TEXT, allowNull: true },
      dedupe_key: { type: DataTypes.STRING(191), allowNull: true, unique: true },
      ...timestamps(),
    },
    tableOptions,
  );
  await qi.addIndex('jobs', ['status', 'run_at'], { name: 'jobs_status_run_at' });
  await qi.addIndex('jobs', ['type'], { name: 'jobs_type' });
  await qi.createTable(
    'cron_runs',
    {
      id: idColumn(),
      job: { type: DataTypes.STRING(64), allowNull: false },
      tick_at: instant(),
      instance_id: { type: DataTypes.STRING(64), allowNull: false },
      status: { type: DataTypes.STRING(16), allowNull: false },
      started_at: instant(),
      finished_at: instant(true),
      error: { type: DataTypes.TEXT, allowNull: true },
    },
    tableOptions,
  );
  await qi.addIndex('cron_runs', ['job', 'tick_at'], { name: 'cron_runs_job_tick' });
}

export async function down({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.dropTable('cron_runs');
  await qi.dropTable('jobs');
}
