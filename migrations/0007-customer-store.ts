import { DataTypes, type QueryInterface } from 'sequelize';
import { idColumn, instant, piiColumns, reference, tableOptions, timestamps, type MigrationContext } from './helpers';

export const name = '0007-customer-store';

const text = (allowNull = true) => ({ type: DataTypes.TEXT, allowNull });
const str = (length: number, allowNull = true) => ({ type: DataTypes.STRING(length), allowNull });

/**
 * customers.store_id with a changed nullability. MySQL/MariaDB keep the existing foreign key through
 * ALTER … CHANGE (naming it again would add a second one); SQLite rebuilds the table, so it is named.
 */
const storeColumn = (qi: QueryInterface, allowNull: boolean) =>
  qi.sequelize.getDialect() === 'sqlite' ? reference('stores', allowNull) : { type: DataTypes.BIGINT, allowNull };

/**
 * The customer store: customers as WeCom knows them, their follow relations with employees, corp
 * tags, group chats, the customer timeline, staff notes, lifecycle stages and custom fields.
 */
export async function up({ queryInterface: qi }: MigrationContext): Promise<void> {
  // A customer whose follow users belong to no mapped store waits, unassigned, for an admin.
  await qi.changeColumn('customers', 'store_id', storeColumn(qi, true));
  // Customers gain their WeCom identity, lifecycle stage and admin-defined fields.
  await qi.addColumn('customers', 'external_userid', str(64));
  await qi.addColumn('customers', 'unionid', str(64));
  await qi.addColumn('customers', 'wecom_type', { type: DataTypes.INTEGER, allowNull: true });
  await qi.addColumn('customers', 'gender', { type: DataTypes.INTEGER, allowNull: true });
  await qi.addColumn('customers', 'avatar', str(512));
  await qi.addColumn('customers', 'corp_name', str(128));
  await qi.addColumn('customers', 'stage', { type: DataTypes.STRING(32), allowNull: false, defaultValue: 'new' });
  await qi.addColumn('customers', 'status', { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'active' });
  // True once an admin reassigned the store: syncs then leave store_id alone.
  await qi.addColumn('customers', 'store_locked', { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false });
  await qi.addColumn('customers', 'merged_into_id', { type: DataTypes.BIGINT, allowNull: true });
  // Search text: name plus every follow remark, kept by the service for keyword search.
  await qi.addColumn('customers', 'search_text', str(1024));
  await qi.addColumn('customers', 'custom_fields', text());
  await qi.addColumn('customers', 'added_at', instant(true));
  await qi.addColumn('customers', 'lost_at', instant(true));
  await qi.addIndex('customers', ['external_userid'], { name: 'customers_external_userid', unique: true });
  await qi.addIndex('customers', ['unionid'], { name: 'customers_unionid' });
  await qi.addIndex('customers', ['store_id', 'stage', 'id'], { name: 'customers_store_stage_id' });
  await qi.addIndex('customers', ['added_at'], { name: 'customers_added_at' });

  // One row per employee following a customer (WeCom's follow_user / follow_info).
  await qi.createTable(
    'customer_follows',
    {
      id: idColumn(),
      customer_id: reference('customers', false, 'CASCADE'),
      wecom_userid: str(64, false),
      user_id: reference('users', true, 'SET NULL'),
      remark: str(255),
      description: str(512),
      remark_corp_name: str(128),
      ...piiColumns('remark_mobiles'),
      add_way: { type: DataTypes.INTEGER, allowNull: true },
      state: str(64),
      oper_userid: str(64),
      added_at: instant(true),
      // active | deleted_by_customer | deleted_by_employee | transferred
      status: { type: DataTypes.STRING(24), allowNull: false, defaultValue: 'active' },
      lost_at: instant(true),
      lost_reason: str(64),
      ...timestamps(),
    },
    tableOptions,
  );
  await qi.addIndex('customer_follows', ['customer_id', 'wecom_userid'], { name: 'customer_follows_customer_user', unique: true });
  await qi.addIndex('customer_follows', ['wecom_userid', 'status'], { name: 'customer_follows_user_status' });
  await qi.addIndex('customer_follows', ['user_id'], { name: 'customer_follows_user_id' });
  await qi.addIndex('customer_follows', ['status', 'lost_at'], { name: 'customer_follows_lost' });

  // Corp tag groups and tags (企业客户标签), mirrored both ways with WeCom.
  await qi.createTable(
    'tag_groups',
    {
      id: idColumn(),
      wecom_group_id: str(64),
      name: str(64, false),
      sort_order: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      ...timestamps(),
    },
    tableOptions,
  );
  await qi.addIndex('tag_groups', ['wecom_group_id'], { name: 'tag_groups_wecom_group_id', unique: true });
  await qi.createTable(
    'tags',
    {
      id: idColumn(),
      group_id: reference('tag_groups', false, 'CASCADE'),
      wecom_tag_id: str(64),
      name: str(64, false),
      sort_order: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      ...timestamps(),
    },
    tableOptions,
  );
  await qi.addIndex('tags', ['wecom_tag_id'], { name: 'tags_wecom_tag_id', unique: true });
  await qi.addIndex('tags', ['group_id'], { name: 'tags_group_id' });
  // Tags are marked per follow relation in WeCom; wecom_userid says by whose relation.
  await qi.createTable(
    'customer_tags',
    {
      id: idColumn(),
      customer_id: reference('customers', false, 'CASCADE'),
      tag_id: reference('tags', false, 'CASCADE'),
      wecom_userid: { type: DataTypes.STRING(64), allowNull: false, defaultValue: '' },
      created_at: instant(),
    },
    tableOptions,
  );
  await qi.addIndex('customer_tags', ['customer_id', 'tag_id', 'wecom_userid'], { name: 'customer_tags_unique', unique: true });
  await qi.addIndex('customer_tags', ['tag_id', 'customer_id'], { name: 'customer_tags_tag_customer' });

  // Customer group chats (客户群) and their members.
  await qi.createTable(
    'group_chats',
    {
      id: idColumn(),
      chat_id: str(64, false),
      name: str(255),
      owner_wecom_userid: str(64),
      store_id: reference('stores', true, 'SET NULL'),
      notice: text(),
      // 0 normal, 1 owner left, 2 handover in progress, 3 handover done; dismissed chats keep their rows.
      wecom_status: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      dismissed_at: instant(true),
      member_count: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      chat_created_at: instant(true),
      ...timestamps(),
    },
    tableOptions,
  );
  await qi.addIndex('group_chats', ['chat_id'], { name: 'group_chats_chat_id', unique: true });
  await qi.addIndex('group_chats', ['store_id'], { name: 'group_chats_store_id' });
  await qi.addIndex('group_chats', ['owner_wecom_userid'], { name: 'group_chats_owner' });
  await qi.createTable(
    'group_chat_members',
    {
      id: idColumn(),
      group_chat_id: reference('group_chats', false, 'CASCADE'),
      member_id: str(64, false),
      // 1 employee, 2 external contact
      member_type: { type: DataTypes.INTEGER, allowNull: false },
      customer_id: reference('customers', true, 'SET NULL'),
      name: str(128),
      group_nickname: str(128),
      unionid: str(64),
      join_scene: { type: DataTypes.INTEGER, allowNull: true },
      invitor_userid: str(64),
      joined_at: instant(true),
      ...timestamps(),
    },
    tableOptions,
  );
  await qi.addIndex('group_chat_members', ['group_chat_id', 'member_id'], { name: 'group_chat_members_unique', unique: true });
  await qi.addIndex('group_chat_members', ['customer_id'], { name: 'group_chat_members_customer' });
  await qi.addIndex('group_chat_members', ['member_id'], { name: 'group_chat_members_member' });

  // Everything that happened to a customer. dedupe_key makes a redelivered event one entry.
  await qi.createTable(
    'customer_timeline',
    {
      id: idColumn(),
      customer_id: reference('customers', false, 'CASCADE'),
      store_id: reference('stores', true, 'SET NULL'),
      kind: str(48, false),
      actor_user_id: reference('users', true, 'SET NULL'),
      wecom_userid: str(64),
      summary: str(512),
      payload: text(),
      dedupe_key: str(191),
      occurred_at: instant(),
      created_at: instant(),
    },
    tableOptions,
  );
  await qi.addIndex('customer_timeline', ['customer_id', 'occurred_at'], { name: 'customer_timeline_customer' });
  await qi.addIndex('customer_timeline', ['dedupe_key'], { name: 'customer_timeline_dedupe', unique: true });

  await qi.createTable(
    'customer_notes',
    {
      id: idColumn(),
      customer_id: reference('customers', false, 'CASCADE'),
      author_user_id: reference('users', true, 'SET NULL'),
      body: text(false),
      ...timestamps(),
    },
    tableOptions,
  );
  await qi.addIndex('customer_notes', ['customer_id'], { name: 'customer_notes_customer' });

  // Configurable lifecycle stages (new → contacted → intent → deal → repurchase → lost).
  await qi.createTable(
    'customer_stages',
    {
      id: idColumn(),
      code: str(32, false),
      name_zh: str(64, false),
      name_en: str(64, false),
      sort_order: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      ...timestamps(),
    },
    tableOptions,
  );
  await qi.addIndex('customer_stages', ['code'], { name: 'customer_stages_code', unique: true });

  // Admin-defined customer fields; values live in customers.custom_fields (JSON by key).
  await qi.createTable(
    'customer_field_defs',
    {
      id: idColumn(),
      field_key: str(48, false),
      label: str(64, false),
      // text | number | date | select | multiselect
      field_type: str(16, false),
      options: text(),
      required: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      sort_order: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      ...timestamps(),
    },
    tableOptions,
  );
  await qi.addIndex('customer_field_defs', ['field_key'], { name: 'customer_field_defs_key', unique: true });

  // Runs of the WeCom syncs (directory, tags, customers, groups, reconciliation): progress, the
  // cursor to resume from after a crash, and what each run found or fixed.
  await qi.createTable(
    'sync_runs',
    {
      id: idColumn(),
      kind: str(32, false),
      // running | done | failed
      status: str(16, false),
      trigger: str(16, false),
      cursor: text(),
      processed: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      total: { type: DataTypes.INTEGER, allowNull: true },
      report: text(),
      error: text(),
      owner: str(128),
      heartbeat_at: instant(),
      started_at: instant(),
      finished_at: instant(true),
    },
    tableOptions,
  );
  await qi.addIndex('sync_runs', ['kind', 'started_at'], { name: 'sync_runs_kind_started' });

  const now = new Date();
  await qi.bulkInsert(
    'customer_stages',
    [
      ['new', '新客户', 'New'],
      ['contacted', '已沟通', 'Contacted'],
      ['intent', '有意向', 'Intent'],
      ['deal', '已成交', 'Deal'],
      ['repurchase', '复购', 'Repurchase'],
      ['lost', '已流失', 'Lost'],
    ].map(([code, nameZh, nameEn], index) => ({ code, name_zh: nameZh, name_en: nameEn, sort_order: index, created_at: now, updated_at: now })),
  );
}

export async function down({ queryInterface: qi }: MigrationContext): Promise<void> {
  for (const table of ['sync_runs', 'customer_field_defs', 'customer_stages', 'customer_notes', 'customer_timeline', 'group_chat_members', 'group_chats', 'customer_tags', 'tags', 'tag_groups', 'customer_follows']) {
    await qi.dropTable(table);
  }
  for (const index of ['customers_external_userid', 'customers_unionid', 'customers_store_stage_id', 'customers_added_at']) await qi.removeIndex('customers', index);
  for (const column of ['external_userid', 'unionid', 'wecom_type', 'gender', 'avatar', 'corp_name', 'stage', 'status', 'store_locked', 'merged_into_id', 'search_text', 'custom_fields', 'added_at', 'lost_at']) {
    await qi.removeColumn('customers', column);
  }
  await qi.changeColumn('customers', 'store_id', storeColumn(qi, false));
}
