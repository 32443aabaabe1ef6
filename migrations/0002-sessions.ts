import { DataTypes } from 'sequelize';
import { instant, reference, tableOptions, type MigrationContext } from './helpers';

export const name = '0002-sessions';

export async function up({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.createTable(
    'sessions',
    {
      id: { type: DataTypes.STRING(36), primaryKey: true, allowNull: false },
      user_id: reference('users', false, 'CASCADE'),
      token_hash: { type: DataTypes.STRING(64), allowNull: false, unique: true },
      ip: { type: DataTypes.STRING(64), allowNull: true },
      user_agent: { type: DataTypes.STRING(255), allowNull: true },
      created_at: instant(),
      expires_at: instant(),
      revoked_at: instant(true),
    },
    tableOptions,
  );
  await qi.addIndex('sessions', ['user_id'], { name: 'sessions_user_id' });
  await qi.addIndex('sessions', ['expires_at'], { name: 'sessions_expires_at' });
}

export async function down({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.dropTable('sessions');
}
