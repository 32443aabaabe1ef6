import { DataTypes } from 'sequelize';
import { idColumn, instant, piiColumns, reference, tableOptions, timestamps, type MigrationContext } from './helpers';

export const name = '0022-orders';

const str = (length: number, allowNull = true) => ({ type: DataTypes.STRING(length), allowNull });
const coordinate = () => ({ type: DataTypes.DOUBLE, allowNull: true });
const fen = () => ({ type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 });

/**
 * E-commerce orders taken in from shop platforms (one row per platform order, whatever the number of
 * deliveries), the rules that turn them into work orders, the platform shops with their default
 * store, and store positions (for routing an order to the buyer's nearest store).
 */
export async function up({ queryInterface: qi }: MigrationContext): Promise<void> {
  const stores = await qi.describeTable('stores');
  if (!stores.lat) await qi.addColumn('stores', 'lat', coordinate());
  if (!stores.lng) await qi.addColumn('stores', 'lng', coordinate());

  await qi.createTable(
    'orders',
    {
      id: idColumn(),
      platform: str(32, false),
      platform_order_id: str(64, false),
      shop_id: str(64, false),
      // created | paid | shipped | completed | refunded | cancelled; only ever moves forward
      status: str(16, false),
      customer_id: reference('customers', true, 'SET NULL'),
      store_id: reference('stores', true, 'SET NULL'),
      buyer_name: str(128),
      ...piiColumns('phone'),
      ...piiColumns('address'),
      unionid: str(64),
      lat: coordinate(),
      lng: coordinate(),
      // JSON: [{ sku, name, category?, quantity, unitPriceFen }]
      items: { type: DataTypes.TEXT, allowNull: false },
      // space-separated categories and SKUs, for list filters
      item_index: str(512),
      total_fen: fen(),
      paid_fen: fen(),
      source_channel: str(32, false),
      placed_at: instant(),
      paid_at: instant(true),
      refunded_at: instant(true),
      rule_id: { type: DataTypes.BIGINT, allowNull: true },
      // JSON array of work-order ids created for this order
      work_order_ids: { type: DataTypes.TEXT, allowNull: false },
      // why no work order was made (no rule matched, store not found …)
      routing_note: str(255),
      ...timestamps(),
    },
    tableOptions,
  );
  await qi.addIndex('orders', ['platform', 'platform_order_id'], { name: 'orders_platform_order', unique: true });
  await qi.addIndex('orders', ['customer_id'], { name: 'orders_customer' });
  await qi.addIndex('orders', ['store_id', 'id'], { name: 'orders_store' });
  await qi.addIndex('orders', ['status', 'id'], { name: 'orders_status' });

  await qi.createTable(
    'order_rules',
    {
      id: idColumn(),
      name: str(100, false),
      // lower runs first; the first matching rule decides
      priority: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 100 },
      enabled: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      // JSON: json-rules-engine top-level condition ({ all: [...] } or { any: [...] })
      conditions: { type: DataTypes.TEXT, allowNull: false },
      flow_code: str(64, false),
      // nearest | fixed | shop_default
      store_strategy: str(16, false),
      store_id: reference('stores', true, 'SET NULL'),
      // JSON: [{ match: { sku?, category? }, code?, name }]
      service_items: { type: DataTypes.TEXT, allowNull: false },
      ...timestamps(),
    },
    tableOptions,
  );
  await qi.addIndex('order_rules', ['enabled', 'priority'], { name: 'order_rules_enabled_priority' });

  await qi.createTable(
    'order_shops',
    {
      id: idColumn(),
      platform: str(32, false),
      shop_id: str(64, false),
      name: str(100, false),
      default_store_id: reference('stores', true, 'SET NULL'),
      ...timestamps(),
    },
    tableOptions,
  );
  await qi.addIndex('order_shops', ['platform', 'shop_id'], { name: 'order_shops_platform_shop', unique: true });
}

export async function down({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.dropTable('order_shops');
  await qi.dropTable('order_rules');
  await qi.dropTable('orders');
  const stores = await qi.describeTable('stores');
  if (stores.lng) await qi.removeColumn('stores', 'lng');
  if (stores.lat) await qi.removeColumn('stores', 'lat');
}
