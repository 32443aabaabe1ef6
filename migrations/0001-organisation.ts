import { DataTypes } from 'sequelize';
import { idColumn, piiColumns, reference, tableOptions, timestamps, type MigrationContext } from './helpers';

export const name = '0001-organisation';

export async function up({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.createTable(
    'companies',
    { id: idColumn(), name: { type: DataTypes.STRING(128), allowNull: false }, ...timestamps() },
    tableOptions,
  );
  await qi.createTable(
    'regions',
    {
      id: idColumn(),
      company_id: reference('companies'),
      code: { type: DataTypes.STRING(32), allowNull: false, unique: true },
      name: { type: DataTypes.STRING(128), allowNull: false },
      ...timestamps(),
    },
    tableOptions,
  );
  await qi.createTable(
    'stores',
    {
      id: idColumn(),
      region_id: reference('regions'),
      code: { type: DataTypes.STRING(32), allowNull: false, unique: true },
      name: { type: DataTypes.STRING(128), allowNull: false },
      address: { type: DataTypes.STRING(255), allowNull: true },
      ...timestamps(),
    },
    tableOptions,
  );
  await qi.addIndex('stores', ['region_id'], { name: 'stores_region_id' });
  await qi.createTable(
    'roles',
    {
      id: idColumn(),
      code: { type: DataTypes.STRING(64), allowNull: false, unique: true },
      name: { type: DataTypes.STRING(128), allowNull: false },
      builtin: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      data_scope: { type: DataTypes.STRING(16), allowNull: false },
      permissions: { type: DataTypes.TEXT, allowNull: false },
      ...timestamps(),
    },
    tableOptions,
  );
  await qi.createTable(
    'users',
    {
      id: idColumn(),
      username: { type: DataTypes.STRING(64), allowNull: false, unique: true },
      display_name: { type: DataTypes.STRING(128), allowNull: false },
      password_hash: { type: DataTypes.STRING(128), allowNull: false },
      role_id: reference('roles'),
      region_id: reference('regions', true),
      store_id: reference('stores', true),
      ...piiColumns('phone'),
      locale: { type: DataTypes.STRING(8), allowNull: false, defaultValue: 'zh-CN' },
      status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'active' },
      wecom_userid: { type: DataTypes.STRING(64), allowNull: true, unique: true },
      last_login_at: { type: DataTypes.DATE(3), allowNull: true },
      ...timestamps(),
    },
    tableOptions,
  );
  await qi.addIndex('users', ['store_id'], { name: 'users_store_id' });
  await qi.addIndex('users', ['region_id'], { name: 'users_region_id' });
}

export async function down({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.dropTable('users');
  await qi.dropTable('roles');
  await qi.dropTable('stores');
  await qi.dropTable('regions');
  await qi.dropTable('companies');
}
