import { DataTypes } from 'sequelize';
import { idColumn, piiColumns, reference, tableOptions, timestamps, type MigrationContext } from './helpers';

export const name = '0005-customers';

export async function up({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.createTable(
    'customers',
    {
      id: idColumn(),
      store_id: reference('stores'),
      owner_user_id: reference('users', true, 'SET NULL'),
      name: { type: DataTypes.STRING(128), allowNull: false },
      ...piiColumns('phone'),
      ...piiColumns('address'),
      ...timestamps(),
    },
    tableOptions,
  );
  await qi.addIndex('customers', ['store_id'], { name: 'customers_store_id' });
  await qi.addIndex('customers', ['owner_user_id'], { name: 'customers_owner_user_id' });
  await qi.addIndex('customers', ['phone_bidx'], { name: 'customers_phone_bidx' });
}

export async function down({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.dropTable('customers');
}
