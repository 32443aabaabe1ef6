import { DataTypes } from 'sequelize';
import { idColumn, instant, longText, tableOptions, type MigrationContext } from './helpers';

export const name = '0030-order-inbox';

/**
 * Every order delivery a connector received (a platform push, a polled order), written before the
 * platform is answered. One row per (platform, platform order id, event): a platform's repeats only
 * count deliveries. Processing (mapping, customer, rules, events) runs afterwards from jobs and sets
 * processed_at in the transaction of its effects, so each delivery is taken in exactly once.
 */
export async function up({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.createTable(
    'order_inbox',
    {
      id: idColumn(),
      platform: { type: DataTypes.STRING(32), allowNull: false },
      platform_order_id: { type: DataTypes.STRING(64), allowNull: false },
      // the platform's event or status (抖店 tag, TOP trade status …)
      event: { type: DataTypes.STRING(64), allowNull: false },
      // the delivery as received, encrypted (it can carry buyers' names, mobiles and addresses)
      payload_enc: { type: longText(qi), allowNull: false },
      received_at: instant(),
      deliveries: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 },
      // the processing job it was handed to; null until the dispatcher picks it up
      job_id: { type: DataTypes.BIGINT, allowNull: true },
      // the order it became (null when the delivery named nothing to take in)
      order_id: { type: DataTypes.BIGINT, allowNull: true },
      processed_at: instant(true),
    },
    tableOptions,
  );
  await qi.addIndex('order_inbox', ['platform', 'platform_order_id', 'event'], { name: 'order_inbox_delivery', unique: true });
  // The dispatcher looks for deliveries without a job; without this index it would scan (and lock) them all.
  await qi.addIndex('order_inbox', ['job_id'], { name: 'order_inbox_job_id' });
  await qi.addIndex('order_inbox', ['processed_at', 'id'], { name: 'order_inbox_processed' });
}

export async function down({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.dropTable('order_inbox');
}
