import { DataTypes } from 'sequelize';
import { idColumn, reference, tableOptions, timestamps, type MigrationContext } from './helpers';

export const name = '0011-customer-find';

/**
 * Finding customers: saved segments (a named filter per user, optionally shared), and the index the
 * customer list walks. Lists are ordered by id, newest first, within a store and stage; the status
 * column rides along in the index so hiding merged customers needs no row lookup.
 */
export async function up({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.createTable(
    'customer_segments',
    {
      id: idColumn(),
      owner_user_id: reference('users', false, 'CASCADE'),
      name: { type: DataTypes.STRING(64), allowNull: false },
      // JSON of the list filter (the same fields as GET /api/customers takes).
      filter: { type: DataTypes.TEXT, allowNull: false },
      shared: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      ...timestamps(),
    },
    tableOptions,
  );
  await qi.addIndex('customer_segments', ['owner_user_id', 'name'], { name: 'customer_segments_owner_name', unique: true });
  await qi.addIndex('customer_segments', ['shared'], { name: 'customer_segments_shared' });

  await qi.addIndex('customers', ['store_id', 'stage', 'id', 'status'], { name: 'customers_store_stage_id_status' });
  await qi.removeIndex('customers', 'customers_store_stage_id');
  // Lists without a store (admins, regions) walk the primary key; by stage they use this one.
  await qi.addIndex('customers', ['stage', 'id', 'status'], { name: 'customers_stage_id_status' });
}

export async function down({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.removeIndex('customers', 'customers_stage_id_status');
  await qi.addIndex('customers', ['store_id', 'stage', 'id'], { name: 'customers_store_stage_id' });
  await qi.removeIndex('customers', 'customers_store_stage_id_status');
  await qi.dropTable('customer_segments');
}
