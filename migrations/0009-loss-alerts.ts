import { DataTypes } from 'sequelize';
import { idColumn, instant, reference, tableOptions, timestamps, type MigrationContext } from './helpers';

export const name = '0009-loss-alerts';

const str = (length: number, allowNull = true) => ({ type: DataTypes.STRING(length), allowNull });

/**
 * Loss alerts: one row per follow relation lost through WeCom (the customer deleted the employee, or
 * the employee deleted the customer), with the app message sent to the employee and store managers.
 * The dedupe key makes a redelivered or replayed event one alert.
 */
export async function up({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.createTable(
    'customer_loss_alerts',
    {
      id: idColumn(),
      follow_id: reference('customer_follows', false, 'CASCADE'),
      customer_id: reference('customers', false, 'CASCADE'),
      store_id: reference('stores', true, 'SET NULL'),
      wecom_userid: str(64, false),
      // deleted_by_customer | deleted_by_employee
      reason: str(32, false),
      lost_at: instant(),
      // pending | sent | failed | skipped (nobody to tell)
      status: str(16, false),
      // JSON array of the WeCom userids the message went to
      recipients: { type: DataTypes.TEXT, allowNull: true },
      error: { type: DataTypes.TEXT, allowNull: true },
      sent_at: instant(true),
      dedupe_key: str(191, false),
      ...timestamps(),
    },
    tableOptions,
  );
  await qi.addIndex('customer_loss_alerts', ['dedupe_key'], { name: 'customer_loss_alerts_dedupe', unique: true });
  await qi.addIndex('customer_loss_alerts', ['follow_id'], { name: 'customer_loss_alerts_follow' });
}

export async function down({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.dropTable('customer_loss_alerts');
}
