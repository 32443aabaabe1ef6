import type { Database } from './database';

interface MysqlConnection {
  query(sql: string, values: unknown[], done: (error: Error | null) => void): void;
}
interface SqliteConnection {
  run(sql: string, values: unknown[], done: (error: Error | null) => void): void;
}

/**
 * Runs one write statement on a pooled connection through the driver itself, skipping the ORM's
 * per-query work. Only for hot paths whose SQL is fixed and whose values are plain scalars.
 */
export async function driverExecute(db: Database, sql: string, values: unknown[]): Promise<void> {
  const manager = db.sequelize.connectionManager as unknown as {
    getConnection(options: { type: 'write' }): Promise<unknown>;
    releaseConnection(connection: unknown): Promise<void>;
  };
  const connection = await manager.getConnection({ type: 'write' });
  try {
    await new Promise<void>((done, fail) => {
      const settle = (error: Error | null) => (error ? fail(error) : done());
      if (db.dialect === 'mysql') (connection as MysqlConnection).query(sql, values, settle);
      else (connection as SqliteConnection).run(sql, values, settle);
    });
  } finally {
    await manager.releaseConnection(connection);
  }
}
