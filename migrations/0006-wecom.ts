import { DataTypes } from 'sequelize';
import { idColumn, instant, longText, tableOptions, type MigrationContext } from './helpers';

export const name = '0006-wecom';

export async function up({ queryInterface: qi }: MigrationContext): Promise<void> {
  // Settings edited in the console; secret values are stored encrypted.
  await qi.createTable(
    'settings',
    {
      key: { type: DataTypes.STRING(64), primaryKey: true, allowNull: false },
      value: { type: DataTypes.TEXT, allowNull: true },
      secret: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      updated_by: { type: DataTypes.BIGINT, allowNull: true },
      updated_at: instant(),
    },
    tableOptions,
  );
  // Every callback WeCom delivered, written before we answer 200. The idempotency key makes WeCom's
  // retries of one event a single row; processed_at is set in the transaction of its effects.
  await qi.createTable(
    'wecom_callbacks',
    {
      id: idColumn(),
      idempotency_key: { type: DataTypes.STRING(191), allowNull: false, unique: true },
      corp_id: { type: DataTypes.STRING(64), allowNull: false },
      kind: { type: DataTypes.STRING(32), allowNull: false },
      event: { type: DataTypes.STRING(64), allowNull: true },
      change_type: { type: DataTypes.STRING(64), allowNull: true },
      summary: { type: DataTypes.TEXT, allowNull: false },
      payload_enc: { type: longText(qi), allowNull: false },
      event_time: instant(true),
      received_at: instant(),
      deliveries: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 },
      job_id: { type: DataTypes.BIGINT, allowNull: true },
      processed_at: instant(true),
    },
    tableOptions,
  );
  await qi.addIndex('wecom_callbacks', ['received_at'], { name: 'wecom_callbacks_received_at' });
  await qi.addIndex('wecom_callbacks', ['kind', 'change_type'], { name: 'wecom_callbacks_kind' });
  // The dispatcher looks for callbacks without a job; without this index it would scan (and lock) them all.
  await qi.addIndex('wecom_callbacks', ['job_id'], { name: 'wecom_callbacks_job_id' });
}

export async function down({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.dropTable('wecom_callbacks');
  await qi.dropTable('settings');
}
