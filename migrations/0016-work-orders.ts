import { DataTypes } from 'sequelize';
import { idColumn, instant, piiColumns, reference, tableOptions, timestamps, type MigrationContext } from './helpers';

export const name = '0016-work-orders';

const text = (allowNull = true) => ({ type: DataTypes.TEXT, allowNull });
const str = (length: number, allowNull = true) => ({ type: DataTypes.STRING(length), allowNull });
const coordinate = () => ({ type: DataTypes.DOUBLE, allowNull: true });

/**
 * Work orders: each order runs on one pinned flow version, node by node, with an append-only
 * history, comments and attachments; idempotency keys for retried mobile submissions; technician
 * profiles (skills, last GPS fix) for assignment; and the runs that move orders to a new version.
 */
export async function up({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.createTable(
    'work_orders',
    {
      id: idColumn(),
      order_no: str(32, false),
      flow_id: reference('flows', false, 'RESTRICT'),
      // The version the order started on (or was migrated to); versions in use cannot be deleted.
      flow_version_id: reference('flow_versions', false, 'RESTRICT'),
      // null once the order is done or cancelled
      current_node_key: str(48),
      // open | waiting_customer | waiting_parts | done | cancelled
      status: str(24, false),
      title: str(128),
      customer_id: reference('customers', true, 'SET NULL'),
      store_id: reference('stores', false, 'RESTRICT'),
      ...piiColumns('address'),
      lat: coordinate(),
      lng: coordinate(),
      // JSON arrays: [{ sku?, name, category?, quantity }] and [{ code?, name, quantity }]
      products: text(),
      service_items: text(),
      // console | sidebar | api | plugin:<name>
      source_channel: str(32, false),
      // low | normal | high | urgent
      priority: str(16, false),
      amount_fen: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 },
      assignee_user_id: reference('users', true, 'SET NULL'),
      // Set while the current node's task waits in a pool for someone with this role to claim it.
      pool_role_code: str(64),
      node_started_at: instant(true),
      node_due_at: instant(true),
      // Set while a pausing status stops the node's clock.
      paused_at: instant(true),
      // Raised by every change; a transition names the version it saw (optimistic concurrency).
      lock_version: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      created_by: reference('users', true, 'SET NULL'),
      closed_at: instant(true),
      ...timestamps(),
    },
    tableOptions,
  );
  await qi.addIndex('work_orders', ['order_no'], { name: 'work_orders_order_no', unique: true });
  await qi.addIndex('work_orders', ['store_id', 'status', 'id'], { name: 'work_orders_store_status' });
  await qi.addIndex('work_orders', ['assignee_user_id', 'status'], { name: 'work_orders_assignee' });
  await qi.addIndex('work_orders', ['flow_version_id', 'current_node_key'], { name: 'work_orders_version_node' });
  await qi.addIndex('work_orders', ['status', 'node_due_at'], { name: 'work_orders_due' });
  await qi.addIndex('work_orders', ['customer_id'], { name: 'work_orders_customer' });

  // Append-only: rows are inserted, never changed.
  await qi.createTable(
    'work_order_events',
    {
      id: idColumn(),
      work_order_id: reference('work_orders', false, 'CASCADE'),
      // created | node_entered | assigned | claimed | completed | transitioned | commented | checked_in
      // | paused | resumed | reminded | escalated | reassigned | migrated | cancelled
      type: str(24, false),
      node_key: str(48),
      actor_user_id: reference('users', true, 'SET NULL'),
      payload: text(),
      // Makes a repeated escalation or migration step a no-op.
      dedupe_key: str(191),
      created_at: instant(),
    },
    tableOptions,
  );
  await qi.addIndex('work_order_events', ['work_order_id', 'id'], { name: 'work_order_events_order' });
  await qi.addIndex('work_order_events', ['dedupe_key'], { name: 'work_order_events_dedupe', unique: true });

  await qi.createTable(
    'work_order_comments',
    {
      id: idColumn(),
      work_order_id: reference('work_orders', false, 'CASCADE'),
      author_user_id: reference('users', true, 'SET NULL'),
      body: text(false),
      ...timestamps(),
    },
    tableOptions,
  );
  await qi.addIndex('work_order_comments', ['work_order_id', 'id'], { name: 'work_order_comments_order' });

  await qi.createTable(
    'work_order_attachments',
    {
      id: idColumn(),
      work_order_id: reference('work_orders', false, 'CASCADE'),
      node_key: str(48),
      // photo | signature | file
      kind: str(16, false),
      // Where the storage keeps the bytes (a relative key, never a client-chosen path).
      storage_key: str(255, false),
      file_name: str(255, false),
      content_type: str(128, false),
      size: { type: DataTypes.BIGINT, allowNull: false },
      captured_at: instant(true),
      lat: coordinate(),
      lng: coordinate(),
      uploaded_by: reference('users', true, 'SET NULL'),
      ...timestamps(),
    },
    tableOptions,
  );
  await qi.addIndex('work_order_attachments', ['work_order_id', 'node_key', 'kind'], { name: 'work_order_attachments_order' });

  // The first answer to a request sent with an Idempotency-Key, replayed to its retries.
  await qi.createTable(
    'idempotency_keys',
    {
      id: idColumn(),
      idem_key: str(128, false),
      user_id: reference('users', false, 'CASCADE'),
      route: str(128, false),
      status_code: { type: DataTypes.INTEGER, allowNull: false },
      response: text(false),
      created_at: instant(),
    },
    tableOptions,
  );
  await qi.addIndex('idempotency_keys', ['user_id', 'route', 'idem_key'], { name: 'idempotency_keys_unique', unique: true });
  await qi.addIndex('idempotency_keys', ['created_at'], { name: 'idempotency_keys_created' });

  await qi.createTable(
    'technician_profiles',
    {
      id: idColumn(),
      user_id: reference('users', false, 'CASCADE'),
      // JSON array of skill codes
      skills: text(),
      last_lat: coordinate(),
      last_lng: coordinate(),
      last_located_at: instant(true),
      available: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      ...timestamps(),
    },
    tableOptions,
  );
  await qi.addIndex('technician_profiles', ['user_id'], { name: 'technician_profiles_user', unique: true });

  // Where the round-robin strategy left off, per store and role.
  await qi.createTable(
    'assignment_cursors',
    {
      id: idColumn(),
      cursor_key: str(128, false),
      last_user_id: { type: DataTypes.BIGINT, allowNull: false },
      ...timestamps(),
    },
    tableOptions,
  );
  await qi.addIndex('assignment_cursors', ['cursor_key'], { name: 'assignment_cursors_key', unique: true });

  // A move of running orders from one flow version to another, run in the background.
  await qi.createTable(
    'work_order_migrations',
    {
      id: idColumn(),
      from_version_id: reference('flow_versions', false, 'RESTRICT'),
      to_version_id: reference('flow_versions', false, 'RESTRICT'),
      // JSON: { nodeKeys?: string[], storeIds?: number[], orderIds?: number[] }
      filter: text(false),
      // JSON: { <from node key>: <to node key> }
      node_mapping: text(false),
      // running | done | failed
      status: str(16, false),
      total: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      migrated: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      skipped: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      // The last order id handled: a resumed run continues after it.
      cursor_id: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 },
      error: str(1000),
      created_by: reference('users', true, 'SET NULL'),
      finished_at: instant(true),
      ...timestamps(),
    },
    tableOptions,
  );
}

export async function down({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.dropTable('work_order_migrations');
  await qi.dropTable('assignment_cursors');
  await qi.dropTable('technician_profiles');
  await qi.dropTable('idempotency_keys');
  await qi.dropTable('work_order_attachments');
  await qi.dropTable('work_order_comments');
  await qi.dropTable('work_order_events');
  await qi.dropTable('work_orders');
}
