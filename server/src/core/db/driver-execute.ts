import { retryAsPromised, type Options as RetryOptions } from 'retry-as-promised';
import { DatabaseError, UniqueConstraintError, type Sequelize, type Transaction } from 'sequelize';
import type { Dialect } from './database';
import { sqlInstant } from './sql-instant';

/** What a write statement did: rows it changed, and the id of the first row it inserted (if any). */
export interface WriteOutcome {
  affectedRows: number;
  insertId: number;
}

interface MysqlConnection {
  query(sql: string, values: unknown[], done: (error: Error | null, result?: unknown) => void): void;
}
interface SqliteConnection {
  run(sql: string, values: unknown[], done: (this: { changes?: number; lastID?: number } | undefined, error: Error | null) => void): void;
  all(sql: string, values: unknown[], done: (error: Error | null, rows?: unknown[]) => void): void;
}
interface ConnectionManager {
  getConnection(options: { type: 'write' }): Promise<unknown>;
  releaseConnection(connection: unknown): Promise<void>;
}

const dialectOf = (sequelize: Sequelize): Dialect => (sequelize.getDialect() === 'sqlite' ? 'sqlite' : 'mysql');

/** The ORM's error for a driver error: a duplicate key is its `UniqueConstraintError`, as a model write would throw. */
function ormErrorOf(error: Error & { code?: string }, sql: string, parameters: unknown[]): Error {
  const parent = Object.assign(error, { sql, parameters });
  const duplicate = error.code === 'ER_DUP_ENTRY' || /UNIQUE constraint failed/.test(error.message);
  return duplicate ? new UniqueConstraintError({ parent, message: error.message }) : new DatabaseError(parent);
}

/** Sends one statement on the transaction's connection, or on a pooled one without `tx`. */
async function onConnection<T>(sequelize: Sequelize, tx: Transaction | undefined, send: (connection: unknown, done: (error: Error | null, result?: T) => void) => void): Promise<T> {
  const manager = sequelize.connectionManager as unknown as ConnectionManager;
  const connection = tx ? (tx as unknown as { connection: unknown }).connection : await manager.getConnection({ type: 'write' });
  try {
    return await new Promise<T>((resolve, reject) => send(connection, (error, result) => (error ? reject(error) : resolve(result as T))));
  } finally {
    if (!tx) await manager.releaseConnection(connection);
  }
}

/**
 * Statements sent through the driver itself, skipping the ORM's per-query work (building options,
 * hooks, formatting results), which costs several times what the driver does. Only for hot paths
 * whose SQL is fixed. Values are plain scalars; dates are written as the ORM writes them, and rows
 * come back as the ORM's raw queries return them. A driver error comes back as the ORM's error, so
 * callers classify it as any other, and a statement is retried as the ORM retries its own (SQLite: one
 * that found the database locked by another connection, with backoff).
 */
function send<T>(sequelize: Sequelize, sql: string, values: unknown[], tx: Transaction | undefined, sqlite: keyof Pick<SqliteConnection, 'run' | 'all'>, outcome: (result: unknown, statement?: { changes?: number; lastID?: number }) => T): Promise<T> {
  const dialect = dialectOf(sequelize);
  const params = values.map((value) => (value instanceof Date ? sqlInstant(dialect, value) : value));
  // Logged as the ORM logs its statements (at trace level), so a statement trace stays complete.
  const { logging, retry } = (sequelize as unknown as { options: { logging?: unknown; retry?: RetryOptions } }).options;
  if (typeof logging === 'function') (logging as (sql: string) => void)(sql);
  const attempt = () => onConnection<T>(sequelize, tx, (connection, done) => {
    const settle = (error: Error | null, result: () => T) => (error ? done(ormErrorOf(error, sql, params)) : done(null, result()));
    if (dialect === 'mysql') (connection as MysqlConnection).query(sql, params, (error, result) => settle(error, () => outcome(result)));
    else if (sqlite === 'all') (connection as SqliteConnection).all(sql, params, (error, rows) => settle(error, () => outcome(rows)));
    else
      (connection as SqliteConnection).run(sql, params, function ran(error) {
        settle(error, () => outcome(undefined, this));
      });
  });
  return dialect === 'sqlite' && retry ? retryAsPromised(attempt, retry) : attempt();
}

/** One write statement through the driver: see `send`. */
export function driverExecute(sequelize: Sequelize, sql: string, values: unknown[], tx?: Transaction): Promise<WriteOutcome> {
  return send(sequelize, sql, values, tx, 'run', (result, statement) => {
    const written = (result ?? {}) as { affectedRows?: number; insertId?: number };
    return { affectedRows: Number(written.affectedRows ?? statement?.changes ?? 0), insertId: Number(written.insertId ?? statement?.lastID ?? 0) };
  });
}

/** One SELECT through the driver: see `send`. */
export function driverSelect<Row>(sequelize: Sequelize, sql: string, values: unknown[], tx?: Transaction): Promise<Row[]> {
  return send(sequelize, sql, values, tx, 'all', (rows) => rows as Row[]);
}
