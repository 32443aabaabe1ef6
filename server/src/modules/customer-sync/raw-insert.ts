import { QueryTypes, type Transaction } from 'sequelize';
import type { Database } from '../../core/db/database';
import { sqlInstant } from '../../core/db/sql-instant';

/**
 * One multi-row INSERT that skips rows whose unique key exists (INSERT IGNORE / INSERT OR IGNORE),
 * in the caller's transaction, without building a model instance per row: the sync writes pages of
 * a hundred rows into four tables, where bulkCreate's per-row work costs more than the database.
 */
export async function insertIgnore(db: Database, table: string, rows: Array<Record<string, unknown>>, tx: Transaction): Promise<void> {
  if (!rows.length) return;
  const now = new Date();
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const values = rows.flatMap((row) =>
    columns.map((column) => {
      const value = row[column] ?? (column === 'created_at' || column === 'updated_at' ? now : null);
      return value instanceof Date ? sqlInstant(db.dialect, value) : value;
    }),
  );
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  const verb = db.dialect === 'mysql' ? 'INSERT IGNORE INTO' : 'INSERT OR IGNORE INTO';
  await db.sequelize.query(`${verb} ${table} (${columns.join(', ')}) VALUES ${rows.map(() => tuple).join(', ')}`, { replacements: values, transaction: tx, type: QueryTypes.INSERT });
}
