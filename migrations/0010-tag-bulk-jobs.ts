import { DataTypes } from 'sequelize';
import { idColumn, instant, longText, reference, tableOptions, timestamps, type MigrationContext } from './helpers';

export const name = '0010-tag-bulk-jobs';

/**
 * Bulk tag marking on many customers: one row per request, worked through by a durable job within
 * WeCom's rate limits. `position` is how far the job got, so a resumed job carries on from there.
 */
export async function up({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.createTable(
    'tag_bulk_jobs',
    {
      id: idColumn(),
      actor_user_id: reference('users', true, 'SET NULL'),
      actor_name: { type: DataTypes.STRING(64), allowNull: false },
      // pending | running | done | failed
      status: { type: DataTypes.STRING(16), allowNull: false },
      // JSON arrays of our tag ids and of the customer ids, in the order they are worked through.
      add_tag_ids: { type: DataTypes.TEXT, allowNull: false },
      remove_tag_ids: { type: DataTypes.TEXT, allowNull: false },
      customer_ids: { type: longText(qi), allowNull: false },
      total: { type: DataTypes.INTEGER, allowNull: false },
      position: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      succeeded: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      failed: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      // JSON array of { customerId, message } for the customers that could not be tagged (first 200).
      failures: { type: DataTypes.TEXT, allowNull: true },
      finished_at: instant(true),
      ...timestamps(),
    },
    tableOptions,
  );
  await qi.addIndex('tag_bulk_jobs', ['actor_user_id', 'id'], { name: 'tag_bulk_jobs_actor' });
}

export async function down({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.dropTable('tag_bulk_jobs');
}
