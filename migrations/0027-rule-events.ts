import { DataTypes } from 'sequelize';
import { idColumn, instant, reference, tableOptions, timestamps, type MigrationContext } from './helpers';

export const name = '0027-rule-events';

const str = (length: number, allowNull = true) => ({ type: DataTypes.STRING(length), allowNull });

/**
 * Event-triggered automation rules and their further actions: the per-rule webhook secret
 * (ciphertext), the outcome of each action of a firing (a coupon no plugin issued is `skipped`, a
 * webhook waits in the job queue as `pending`), and the follow-up tasks (跟进任务) a rule creates for
 * the customer's owning employee, with the state of their WeCom reminder.
 */
export async function up({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.addColumn('engagement_rules', 'webhook_secret', { type: DataTypes.TEXT, allowNull: true });
  // JSON: [{ type, status: done | pending | skipped | failed, note? }] in the order of the rule's actions
  await qi.addColumn('engagement_rule_firings', 'outcomes', { type: DataTypes.TEXT, allowNull: true });
  // the event that fired it (outbox event id); null for scheduled runs
  await qi.addColumn('engagement_rule_firings', 'event_id', { type: DataTypes.BIGINT, allowNull: true });
  await qi.createTable(
    'engagement_follow_tasks',
    {
      id: idColumn(),
      rule_id: reference('engagement_rules', true, 'SET NULL'),
      firing_id: { type: DataTypes.BIGINT, allowNull: true },
      customer_id: reference('customers', false, 'CASCADE'),
      store_id: reference('stores', true, 'SET NULL'),
      // the customer's owning employee when the task was made (null: nobody owns the customer)
      assignee_user_id: reference('users', true, 'SET NULL'),
      title: str(128, false),
      due_at: instant(),
      // open | done
      status: str(16, false),
      done_at: instant(true),
      done_by_user_id: reference('users', true, 'SET NULL'),
      // pending | sent | skipped | failed: the WeCom app message reminding the assignee
      reminder_status: str(16, false),
      reminder_error: str(512),
      ...timestamps(),
    },
    tableOptions,
  );
  await qi.addIndex('engagement_follow_tasks', ['assignee_user_id', 'status'], { name: 'engagement_follow_tasks_assignee' });
  await qi.addIndex('engagement_follow_tasks', ['customer_id'], { name: 'engagement_follow_tasks_customer' });
  await qi.addIndex('engagement_follow_tasks', ['status', 'due_at'], { name: 'engagement_follow_tasks_due' });
}

export async function down({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.dropTable('engagement_follow_tasks');
  await qi.removeColumn('engagement_rule_firings', 'event_id');
  await qi.removeColumn('engagement_rule_firings', 'outcomes');
  await qi.removeColumn('engagement_rules', 'webhook_secret');
}
