import { DataTypes } from 'sequelize';
import { idColumn, instant, reference, tableOptions, timestamps, type MigrationContext } from './helpers';

export const name = '0008-directory';

const str = (length: number, allowNull = true) => ({ type: DataTypes.STRING(length), allowNull });

/**
 * The WeCom directory mirrored: departments with the admin's mapping to a store and a role, and
 * employees with their departments and the user they became. Users learn when they left WeCom.
 */
export async function up({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.createTable(
    'wecom_departments',
    {
      id: idColumn(),
      wecom_id: { type: DataTypes.BIGINT, allowNull: false },
      name: str(128, false),
      parent_wecom_id: { type: DataTypes.BIGINT, allowNull: true },
      sort_order: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 },
      // The admin's mapping: employees of this department (or of a sub-department without a mapping of its own).
      store_id: reference('stores', true, 'SET NULL'),
      role_id: reference('roles', true, 'SET NULL'),
      // The last full sync run that saw the department (resumable runs find the unseen ones by it).
      seen_run_id: { type: DataTypes.BIGINT, allowNull: true },
      // Set when WeCom deleted the department; a department the app no longer sees is only `visible = false`.
      deleted_at: instant(true),
      visible: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      ...timestamps(),
    },
    tableOptions,
  );
  await qi.addIndex('wecom_departments', ['wecom_id'], { name: 'wecom_departments_wecom_id', unique: true });

  await qi.createTable(
    'wecom_employees',
    {
      id: idColumn(),
      userid: str(64, false),
      name: str(128, false),
      // JSON array of WeCom department ids; the main one decides the mapping.
      department_ids: { type: DataTypes.TEXT, allowNull: false },
      main_department_id: { type: DataTypes.BIGINT, allowNull: true },
      position: str(128),
      // WeCom status: 1 active, 2 disabled, 4 not activated, 5 left.
      wecom_status: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 },
      user_id: reference('users', true, 'SET NULL'),
      // What the directory last gave the user: an admin's later change to the user is kept.
      applied_role_id: { type: DataTypes.BIGINT, allowNull: true },
      applied_store_id: { type: DataTypes.BIGINT, allowNull: true },
      // True while the user is disabled because of WeCom (left, disabled, unmapped), not by an admin.
      disabled_by_sync: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      seen_run_id: { type: DataTypes.BIGINT, allowNull: true },
      left_at: instant(true),
      ...timestamps(),
    },
    tableOptions,
  );
  await qi.addIndex('wecom_employees', ['userid'], { name: 'wecom_employees_userid', unique: true });
  await qi.addIndex('wecom_employees', ['user_id'], { name: 'wecom_employees_user_id' });
  await qi.addIndex('wecom_employees', ['main_department_id'], { name: 'wecom_employees_main_department' });

  await qi.addColumn('users', 'wecom_left_at', instant(true));
}

export async function down({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.removeColumn('users', 'wecom_left_at');
  await qi.dropTable('wecom_employees');
  await qi.dropTable('wecom_departments');
}
