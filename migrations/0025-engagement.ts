import { DataTypes } from 'sequelize';
import { idColumn, instant, reference, tableOptions, timestamps, type MigrationContext } from './helpers';

export const name = '0025-engagement';

const str = (length: number, allowNull = true) => ({ type: DataTypes.STRING(length), allowNull });
const json = (allowNull = false) => ({ type: DataTypes.TEXT, allowNull });

/**
 * Customer engagement: channel contact ways (渠道活码) with their schedule, tags, store and welcome
 * message; each add through a channel (attribution, losses); one row per welcome code (the claim that
 * makes a welcome message go out at most once); uploaded media ids cached until they expire; automation
 * rules and their firings (unique per rule, customer and period).
 */
export async function up({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.createTable(
    'engagement_contact_ways',
    {
      id: idColumn(),
      name: str(64, false),
      // the 「联系我」 state WeCom sends back with add_external_contact (≤30 chars)
      state: str(30, false),
      config_id: str(64),
      qr_code: str(512),
      skip_verify: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      // JSON: userids always on duty, backup userids, [{ weekdays, from, to, users }] in Asia/Shanghai
      users: json(),
      backup_users: json(),
      schedule: json(),
      // the userids WeCom currently has for this contact way (what the last add/update sent)
      current_users: json(),
      tag_ids: json(),
      store_id: reference('stores', true, 'SET NULL'),
      // JSON: { text, attachments: [...] } or null
      welcome: json(true),
      deleted_at: instant(true),
      ...timestamps(),
    },
    tableOptions,
  );
  await qi.addIndex('engagement_contact_ways', ['state'], { name: 'engagement_contact_ways_state', unique: true });

  await qi.createTable(
    'engagement_channel_adds',
    {
      id: idColumn(),
      contact_way_id: reference('engagement_contact_ways', false, 'CASCADE'),
      external_userid: str(64, false),
      wecom_userid: str(64, false),
      customer_id: { type: DataTypes.BIGINT, allowNull: true },
      added_at: instant(),
      // set when the tags and store of the channel were applied to the customer
      applied_at: instant(true),
      lost_at: instant(true),
      created_at: instant(),
    },
    tableOptions,
  );
  await qi.addIndex('engagement_channel_adds', ['contact_way_id', 'external_userid', 'wecom_userid'], { name: 'engagement_channel_adds_unique', unique: true });
  await qi.addIndex('engagement_channel_adds', ['external_userid', 'wecom_userid'], { name: 'engagement_channel_adds_relation' });
  await qi.addIndex('engagement_channel_adds', ['customer_id'], { name: 'engagement_channel_adds_customer' });

  await qi.createTable(
    'engagement_welcome_sends',
    {
      id: idColumn(),
      welcome_code: str(128, false),
      contact_way_id: { type: DataTypes.BIGINT, allowNull: true },
      external_userid: str(64, false),
      wecom_userid: str(64, false),
      // sending | sent | missed | failed
      status: str(16, false),
      errcode: { type: DataTypes.INTEGER, allowNull: true },
      error: str(512),
      event_at: instant(),
      received_at: instant(),
      finished_at: instant(true),
      created_at: instant(),
    },
    tableOptions,
  );
  await qi.addIndex('engagement_welcome_sends', ['welcome_code'], { name: 'engagement_welcome_sends_code', unique: true });
  await qi.addIndex('engagement_welcome_sends', ['contact_way_id', 'status'], { name: 'engagement_welcome_sends_way' });

  await qi.createTable(
    'engagement_media',
    {
      id: idColumn(),
      // sha256 of the content and its type: the same file is uploaded once per 3 days
      content_key: str(96, false),
      media_type: str(16, false),
      media_id: str(256, false),
      expires_at: instant(),
      created_at: instant(),
    },
    tableOptions,
  );
  await qi.addIndex('engagement_media', ['content_key'], { name: 'engagement_media_key', unique: true });

  await qi.createTable(
    'engagement_rules',
    {
      id: idColumn(),
      name: str(64, false),
      // customer_added | tag_added | stage_changed | order_created | order_refunded | work_order_completed | no_order_days | date_field
      trigger_type: str(32, false),
      trigger_config: json(),
      conditions: json(),
      actions: json(),
      // day | week | month | year | once: a rule fires at most once per customer per period
      period: str(8, false),
      enabled: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      last_run_at: instant(true),
      ...timestamps(),
    },
    tableOptions,
  );

  await qi.createTable(
    'engagement_rule_firings',
    {
      id: idColumn(),
      rule_id: reference('engagement_rules', false, 'CASCADE'),
      customer_id: { type: DataTypes.BIGINT, allowNull: false },
      period_key: str(16, false),
      // done (actions apply in the transaction that claims the firing)
      status: str(16, false),
      // the evaluation that claimed the firing to apply its actions
      run_id: str(36),
      error: str(512),
      fired_at: instant(),
    },
    tableOptions,
  );
  await qi.addIndex('engagement_rule_firings', ['rule_id', 'customer_id', 'period_key'], { name: 'engagement_rule_firings_once', unique: true });
  await qi.addIndex('engagement_rule_firings', ['run_id'], { name: 'engagement_rule_firings_run' });
}

export async function down({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.dropTable('engagement_rule_firings');
  await qi.dropTable('engagement_rules');
  await qi.dropTable('engagement_media');
  await qi.dropTable('engagement_welcome_sends');
  await qi.dropTable('engagement_channel_adds');
  await qi.dropTable('engagement_contact_ways');
}
