import type { Transaction, WhereOptions } from 'sequelize';
import type { AnyTableModel } from './define-table';
import { driverExecute, driverSelect, type WriteOutcome } from './driver-execute';

/**
 * Row reads and writes for hot paths, on a table's model but sent through the driver: a model
 * query clones its options, runs hooks and validation, builds instances and formats its statement
 * anew every time, which costs several times what the database does for one small row. Rows and
 * conditions are typed by the model's row; column names come from our code, never from input.
 */

/** A column value the driver writes as is (dates as the ORM writes them). */
export type ColumnValue = string | number | boolean | Date | null;
type Columns<Row> = { [K in keyof Row]?: Row[K] & ColumnValue };

const timestampColumns: string[] = ['created_at', 'updated_at'];
/** The timestamp columns the model has. */
const stampsOf = (model: AnyTableModel<object>) => timestampColumns.filter((column) => column in model.getAttributes());
const quoted = (column: string) => `\`${column}\``;

/**
 * One multi-row INSERT of `rows` (columns: every key any row has, plus the model's `created_at` and
 * `updated_at`, which default to now). `ignoreDuplicates` skips rows whose unique key exists (INSERT
 * IGNORE / INSERT OR IGNORE). `insertId` is the first inserted row's id on MySQL, the last one's on SQLite.
 */
export async function insertRows<Row extends object>(model: AnyTableModel<Row>, rows: Array<Columns<Row>>, tx?: Transaction, options: { ignoreDuplicates?: boolean } = {}): Promise<WriteOutcome> {
  if (!rows.length) return { affectedRows: 0, insertId: 0 };
  const sequelize = model.sequelize!;
  const now = new Date();
  const stamps = stampsOf(model);
  const columns = [...new Set([...rows.flatMap((row) => Object.keys(row)), ...stamps])] as Array<keyof Row & string>;
  const values = rows.flatMap((row) => columns.map((column) => row[column] ?? (stamps.includes(column) ? now : null)));
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  const verb = !options.ignoreDuplicates ? 'INSERT INTO' : sequelize.getDialect() === 'sqlite' ? 'INSERT OR IGNORE INTO' : 'INSERT IGNORE INTO';
  return driverExecute(sequelize, `${verb} ${model.getTableName() as string} (${columns.map(quoted).join(', ')}) VALUES ${rows.map(() => tuple).join(', ')}`, values, tx);
}

/**
 * UPDATE the rows whose columns equal `where` (null: IS NULL) with `changes` (undefined keys are left
 * alone; the model's `updated_at` defaults to now, as a model update sets it). Returns how many rows matched.
 */
export async function updateRows<Row extends object>(model: AnyTableModel<Row>, changes: Columns<Row>, where: Columns<Row>, tx?: Transaction): Promise<number> {
  const set: Array<[string, unknown]> = Object.entries(changes).filter(([, value]) => value !== undefined);
  if (stampsOf(model).includes('updated_at') && !set.some(([column]) => column === 'updated_at')) set.push(['updated_at', new Date()]);
  const conditions = Object.entries(where).filter(([, value]) => value !== undefined);
  const table = model.getTableName() as string;
  if (!set.length || !conditions.length) throw new Error(`updateRows(${table}): needs columns to set and a condition`);
  const sql = `UPDATE ${table} SET ${set.map(([column]) => `${quoted(column)} = ?`).join(', ')} WHERE ${conditions.map(([column, value]) => (value === null ? `${quoted(column)} IS NULL` : `${quoted(column)} = ?`)).join(' AND ')}`;
  const values = [...set, ...conditions.filter(([, value]) => value !== null)].map(([, value]) => value);
  return (await driverExecute(model.sequelize!, sql, values, tx)).affectedRows;
}

export interface SelectOptions<Row> {
  /** Ascending by this column. */
  orderBy?: keyof Row & string;
  limit?: number;
  /** Locks the rows for the transaction, exclusively or shared (MySQL; SQLite transactions already write one at a time). */
  lock?: 'update' | 'share';
}

const lockClauses = { update: ' FOR UPDATE', share: ' LOCK IN SHARE MODE' } as const;

/** SELECT * of the rows `where` matches (any model condition, e.g. a data scope), as a raw model query returns them. */
export async function selectRows<Row extends object>(model: AnyTableModel<Row>, where: WhereOptions<Row>, tx?: Transaction, options: SelectOptions<Row> = {}): Promise<Row[]> {
  const sequelize = model.sequelize!;
  const generator = sequelize.getQueryInterface().queryGenerator as { whereQuery(where: WhereOptions, options: { model: unknown }): string };
  const order = options.orderBy ? ` ORDER BY ${quoted(options.orderBy)}` : '';
  const limit = options.limit === undefined ? '' : ` LIMIT ${Math.trunc(options.limit)}`;
  const lock = options.lock && sequelize.getDialect() !== 'sqlite' ? lockClauses[options.lock] : '';
  return driverSelect<Row>(sequelize, `SELECT * FROM ${model.getTableName() as string} ${generator.whereQuery(where, { model })}${order}${limit}${lock}`, [], tx);
}
