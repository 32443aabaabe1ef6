import { DataTypes } from 'sequelize';
import { idColumn, instant, reference, tableOptions, timestamps, type MigrationContext } from './helpers';

export const name = '0014-handovers';

const str = (length: number, allowNull = true) => ({ type: DataTypes.STRING(length), allowNull });

/**
 * Handovers (客户继承): an admin moves the customers and group chats of an employee who left (离职继承)
 * or still serves (在职继承) to another employee. One row per customer or chat tracks WeCom's result.
 */
export async function up({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.createTable(
    'handovers',
    {
      id: idColumn(),
      // resigned | in_service
      kind: str(16, false),
      handover_userid: str(64, false),
      takeover_userid: str(64, false),
      handover_user_id: reference('users', true, 'SET NULL'),
      takeover_user_id: reference('users', true, 'SET NULL'),
      handover_store_id: reference('stores', true, 'SET NULL'),
      takeover_store_id: reference('stores', true, 'SET NULL'),
      transfer_message: str(200),
      // running while any item waits; done once every item is done or failed
      status: str(16, false),
      created_by: reference('users', true, 'SET NULL'),
      finished_at: instant(true),
      ...timestamps(),
    },
    tableOptions,
  );
  await qi.addIndex('handovers', ['status', 'id'], { name: 'handovers_status' });
  await qi.addIndex('handovers', ['handover_userid'], { name: 'handovers_handover_userid' });

  await qi.createTable(
    'handover_items',
    {
      id: idColumn(),
      handover_id: reference('handovers', false, 'CASCADE'),
      // customer | group
      item_type: str(16, false),
      // external_userid or chat_id
      target_id: str(64, false),
      customer_id: reference('customers', true, 'SET NULL'),
      group_chat_id: reference('group_chats', true, 'SET NULL'),
      // queued | submitting | waiting | done | failed
      status: str(16, false),
      errcode: { type: DataTypes.INTEGER, allowNull: true },
      // customer_refused | takeover_limit | no_record | wecom_error | not_found …
      fail_reason: str(48),
      fail_detail: str(255),
      // WeCom's last transfer_result status (1 taken over … 5 no record)
      wecom_status: { type: DataTypes.INTEGER, allowNull: true },
      // Marks the submitter that claimed the item, so two submitters never send one item twice.
      claim: str(32),
      attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      submitted_at: instant(true),
      settled_at: instant(true),
      ...timestamps(),
    },
    tableOptions,
  );
  await qi.addIndex('handover_items', ['handover_id', 'item_type', 'target_id'], { name: 'handover_items_unique', unique: true });
  await qi.addIndex('handover_items', ['status', 'handover_id'], { name: 'handover_items_status' });
  await qi.addIndex('handover_items', ['target_id', 'status'], { name: 'handover_items_target' });
}

export async function down({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.dropTable('handover_items');
  await qi.dropTable('handovers');
}
