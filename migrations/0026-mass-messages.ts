import { DataTypes } from 'sequelize';
import { idColumn, instant, longText, reference, tableOptions, timestamps, type MigrationContext } from './helpers';

export const name = '0026-mass-messages';

const str = (length: number, allowNull = true) => ({ type: DataTypes.STRING(length), allowNull });

/**
 * Mass messages (群发消息): the message with its audience and content; one WeCom group-send task
 * (add_msg_template) per sending employee and chunk of at most 10,000 customers; one row per
 * recipient customer (unique per message) with why it was skipped or what WeCom reported.
 */
export async function up({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.createTable(
    'engagement_mass_messages',
    {
      id: idColumn(),
      name: str(64, false),
      // draft | sending | sent | failed | cancelled
      status: str(16, false),
      // JSON: { type: 'filter' | 'tags' | 'customers', ... }
      audience: { type: DataTypes.TEXT, allowNull: false },
      // JSON: { text, attachments: [...] } with the files as base64
      content: { type: longText(qi), allowNull: false },
      // JSON: the creator's data scope, which bounds the audience when the message is sent later
      scope: { type: DataTypes.TEXT, allowNull: false },
      store_id: reference('stores', true, 'SET NULL'),
      region_id: { type: DataTypes.BIGINT, allowNull: true },
      created_by: { type: DataTypes.BIGINT, allowNull: true },
      scheduled_at: instant(true),
      sent_at: instant(true),
      // results are polled until every task is finished or this passes
      poll_until: instant(true),
      finished_at: instant(true),
      error: str(512),
      ...timestamps(),
    },
    tableOptions,
  );
  await qi.addIndex('engagement_mass_messages', ['status', 'scheduled_at'], { name: 'engagement_mass_messages_due' });

  await qi.createTable(
    'engagement_mass_message_tasks',
    {
      id: idColumn(),
      mass_message_id: reference('engagement_mass_messages', false, 'CASCADE'),
      sender_userid: str(64, false),
      chunk: { type: DataTypes.INTEGER, allowNull: false },
      msgid: str(64),
      // pending (not yet created in WeCom) | waiting (未发送) | sent (已发送) | failed | expired
      status: str(16, false),
      customer_count: { type: DataTypes.INTEGER, allowNull: false },
      error: str(512),
      called_at: instant(true),
      finished_at: instant(true),
      ...timestamps(),
    },
    tableOptions,
  );
  await qi.addIndex('engagement_mass_message_tasks', ['mass_message_id', 'sender_userid', 'chunk'], { name: 'engagement_mass_message_tasks_unique', unique: true });
  await qi.addIndex('engagement_mass_message_tasks', ['status'], { name: 'engagement_mass_message_tasks_status' });

  await qi.createTable(
    'engagement_mass_message_recipients',
    {
      id: idColumn(),
      mass_message_id: reference('engagement_mass_messages', false, 'CASCADE'),
      customer_id: { type: DataTypes.BIGINT, allowNull: false },
      task_id: { type: DataTypes.BIGINT, allowNull: true },
      sender_userid: str(64),
      external_userid: str(64),
      // pending | skipped | failed | not_sent (0) | sent (1) | not_friend (2) | received_other (3)
      status: str(16, false),
      // why skipped or failed: no_owner | lost | monthly_limit | out_of_scope | wecom_refused | call_failed
      reason: str(32),
      error: str(255),
      // when the group-send task holding the customer was created, and when WeCom delivered it
      queued_at: instant(true),
      sent_at: instant(true),
      ...timestamps(),
    },
    tableOptions,
  );
  await qi.addIndex('engagement_mass_message_recipients', ['mass_message_id', 'customer_id'], { name: 'engagement_mass_message_recipients_unique', unique: true });
  await qi.addIndex('engagement_mass_message_recipients', ['mass_message_id', 'status'], { name: 'engagement_mass_message_recipients_status' });
  await qi.addIndex('engagement_mass_message_recipients', ['customer_id', 'queued_at'], { name: 'engagement_mass_message_recipients_month' });
  await qi.addIndex('engagement_mass_message_recipients', ['task_id'], { name: 'engagement_mass_message_recipients_task' });
}

export async function down({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.dropTable('engagement_mass_message_recipients');
  await qi.dropTable('engagement_mass_message_tasks');
  await qi.dropTable('engagement_mass_messages');
}
