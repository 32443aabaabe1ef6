import { DataTypes } from 'sequelize';
import { idColumn, instant, tableOptions, timestamps, type MigrationContext } from './helpers';

export const name = '0029-archive-compliance';

const str = (length: number, allowNull = true) => ({ type: DataTypes.STRING(length), allowNull });

/**
 * Chat archive compliance: rules (sensitive words or guarded regular expressions, per store) checked
 * against every newly archived text, and the alerts they raise — one per (message, rule) — which
 * store managers are told about and mark handled. Also indexes archived messages by external contact.
 */
export async function up({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.createTable(
    'archive_rules',
    {
      id: idColumn(),
      name: str(64, false),
      // word (any of `keywords`) | regex (`pattern`)
      kind: str(16, false),
      // JSON array of words, for word rules
      keywords: { type: DataTypes.TEXT, allowNull: true },
      pattern: str(200),
      // low | medium | high
      severity: str(16, false),
      // JSON array of store ids; null: every store
      store_ids: { type: DataTypes.TEXT, allowNull: true },
      enabled: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      ...timestamps(),
    },
    tableOptions,
  );
  await qi.addIndex('archive_rules', ['enabled'], { name: 'archive_rules_enabled' });

  await qi.createTable(
    'archive_alerts',
    {
      id: idColumn(),
      message_id: { type: DataTypes.BIGINT, allowNull: false },
      msgid: str(128, false),
      rule_id: { type: DataTypes.BIGINT, allowNull: false },
      // the rule as it was when it matched
      rule_name: str(64, false),
      severity: str(16, false),
      employee_userid: str(64),
      customer_id: { type: DataTypes.BIGINT, allowNull: true },
      external_userid: str(64),
      room_id: str(64),
      store_id: { type: DataTypes.BIGINT, allowNull: true },
      excerpt: str(255, false),
      msg_time: instant(true),
      // open | handled
      status: str(16, false),
      handled_by: { type: DataTypes.BIGINT, allowNull: true },
      handled_at: instant(true),
      note: str(500),
      notified_at: instant(true),
      ...timestamps(),
    },
    tableOptions,
  );
  await qi.addIndex('archive_alerts', ['message_id', 'rule_id'], { name: 'archive_alerts_message_rule', unique: true });
  await qi.addIndex('archive_alerts', ['store_id', 'status', 'created_at'], { name: 'archive_alerts_store' });
  await qi.addIndex('archive_alerts', ['rule_id'], { name: 'archive_alerts_rule' });
  await qi.addIndex('archive_alerts', ['msg_time'], { name: 'archive_alerts_time' });
  // A customer's one-to-one messages stored before the customer was synced are found by external id.
  await qi.addIndex('archive_messages', ['external_userid', 'msg_time'], { name: 'archive_messages_external' });
}

export async function down({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.removeIndex('archive_messages', 'archive_messages_external');
  await qi.dropTable('archive_alerts');
  await qi.dropTable('archive_rules');
}
