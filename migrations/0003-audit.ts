import { DataTypes } from 'sequelize';
import { idColumn, instant, longText, tableOptions, type MigrationContext } from './helpers';

export const name = '0003-audit';

/** prev_hash of the first audit row. */
export const GENESIS_HASH = '0'.repeat(64);

export async function up({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.createTable(
    'audit_logs',
    {
      id: idColumn(),
      seq: { type: DataTypes.BIGINT, allowNull: false, unique: true },
      at: instant(),
      actor_id: { type: DataTypes.BIGINT, allowNull: true },
      actor_name: { type: DataTypes.STRING(128), allowNull: true },
      action: { type: DataTypes.STRING(64), allowNull: false },
      target_type: { type: DataTypes.STRING(64), allowNull: false },
      target_id: { type: DataTypes.STRING(64), allowNull: true },
      store_id: { type: DataTypes.BIGINT, allowNull: true },
      diff: { type: longText(qi), allowNull: true },
      request_id: { type: DataTypes.STRING(64), allowNull: true },
      ip: { type: DataTypes.STRING(64), allowNull: true },
      prev_hash: { type: DataTypes.STRING(64), allowNull: false },
      hash: { type: DataTypes.STRING(64), allowNull: false },
    },
    tableOptions,
  );
  await qi.addIndex('audit_logs', ['at'], { name: 'audit_logs_at' });
  await qi.addIndex('audit_logs', ['action'], { name: 'audit_logs_action' });
  await qi.addIndex('audit_logs', ['target_type', 'target_id'], { name: 'audit_logs_target' });
  await qi.addIndex('audit_logs', ['actor_id'], { name: 'audit_logs_actor_id' });
  await qi.addIndex('audit_logs', ['store_id'], { name: 'audit_logs_store_id' });
  // One row that every append locks, so that concurrent writers on several instances extend one chain.
  await qi.createTable(
    'audit_chain',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, allowNull: false },
      last_seq: { type: DataTypes.BIGINT, allowNull: false },
      last_hash: { type: DataTypes.STRING(64), allowNull: false },
      updated_at: instant(),
    },
    tableOptions,
  );
  await qi.bulkInsert('audit_chain', [{ id: 1, last_seq: 0, last_hash: GENESIS_HASH, updated_at: new Date() }]);
}

export async function down({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.dropTable('audit_chain');
  await qi.dropTable('audit_logs');
}
