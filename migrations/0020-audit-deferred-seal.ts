import { DataTypes } from 'sequelize';
import { changeColumnKeepingIndexes, ensureIndexes, type MigrationContext } from './helpers';

export const name = '0020-audit-deferred-seal';

/**
 * Audit rows are written unsealed (no sequence number or hashes) in the transaction of the change
 * they record, and sealed into the hash chain shortly after by the sealer, so writers no longer
 * queue on the chain's head row.
 */
export async function up({ queryInterface: qi }: MigrationContext): Promise<void> {
  await changeColumnKeepingIndexes(qi, 'audit_logs', 'seq', { type: DataTypes.BIGINT, allowNull: true });
  await changeColumnKeepingIndexes(qi, 'audit_logs', 'prev_hash', { type: DataTypes.STRING(64), allowNull: true });
  await changeColumnKeepingIndexes(qi, 'audit_logs', 'hash', { type: DataTypes.STRING(64), allowNull: true });
  // 0007 changed customers.store_id on SQLite without putting the table's earlier indexes back.
  await ensureIndexes(qi, 'customers', [
    { name: 'customers_store_id', fields: ['store_id'] },
    { name: 'customers_owner_user_id', fields: ['owner_user_id'] },
    { name: 'customers_phone_bidx', fields: ['phone_bidx'] },
  ]);
}

export async function down({ queryInterface: qi }: MigrationContext): Promise<void> {
  const [rows] = await qi.sequelize.query('SELECT COUNT(*) AS n FROM audit_logs WHERE seq IS NULL');
  if (Number((rows as Array<{ n: number }>)[0]?.n) > 0) throw new Error('seal the audit trail (npm run audit:verify) before migrating down');
  await changeColumnKeepingIndexes(qi, 'audit_logs', 'hash', { type: DataTypes.STRING(64), allowNull: false });
  await changeColumnKeepingIndexes(qi, 'audit_logs', 'prev_hash', { type: DataTypes.STRING(64), allowNull: false });
  await changeColumnKeepingIndexes(qi, 'audit_logs', 'seq', { type: DataTypes.BIGINT, allowNull: false });
}
