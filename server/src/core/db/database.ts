import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Mutex } from 'async-mutex';
import { Sequelize, Transaction, type Options } from 'sequelize';
import type { Logger } from '../logger';
import { connectionTargetOf, routeReadsToPrimaryUnlessAsked } from './read-replicas';

export type Dialect = 'sqlite' | 'mysql';

export interface TransactionOptions {
  /**
   * MySQL: READ COMMITTED instead of REPEATABLE READ, so a locking read takes no gap locks and does
   * not hold up concurrent inserts (queue-like tables read with SKIP LOCKED). No effect on SQLite.
   */
  readCommitted?: boolean;
}

export interface Database {
  sequelize: Sequelize;
  dialect: Dialect;
  /**
   * Runs `work` in one transaction. On SQLite, transactions of this process are queued one after
   * another (SQLite has a single writer); on MySQL/MariaDB they run concurrently.
   */
  transaction<T>(work: (tx: Transaction) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** Runs a write outside any transaction, queued with this process's transactions on SQLite. */
  exclusive<T>(work: () => Promise<T>): Promise<T>;
  ping(): Promise<void>;
  close(): Promise<void>;
  /** Read replicas in use (`DB_READ_URLS`, MySQL/MariaDB only) and how many reads were sent to them. */
  replicas: { count: number; reads(): number };
}

export interface DatabaseOptions {
  poolMax?: number;
  /** MySQL/MariaDB read replicas; reads go there only inside `readFromReplica`. */
  readUrls?: string[];
}

const define = { underscored: true, timestamps: true, createdAt: 'created_at', updatedAt: 'updated_at' } as const;

export function sequelizeOptionsFor(url: string, log: Logger, { poolMax = 20, readUrls = [] }: DatabaseOptions = {}): { url?: string; options: Options; dialect: Dialect } {
  const logging = (sql: string) => log.trace({ sql }, 'sql');
  if (url.startsWith('sqlite:')) {
    const location = url.slice('sqlite:'.length);
    const storage = location === ':memory:' ? ':memory:' : resolve(location);
    if (storage !== ':memory:') mkdirSync(dirname(storage), { recursive: true });
    if (readUrls.length) log.warn({ replicas: readUrls.length }, 'DB_READ_URLS is ignored with SQLite: every query uses the embedded database');
    // IMMEDIATE: a transaction takes the write lock when it begins, so it waits (busy timeout) rather
    // than failing when it later upgrades from read to write while another connection writes.
    return { dialect: 'sqlite', options: { dialect: 'sqlite', storage, logging, define, transactionType: Transaction.TYPES.IMMEDIATE } };
  }
  return {
    dialect: 'mysql',
    url: url.replace(/^mariadb:/, 'mysql:'),
    options: {
      dialect: 'mysql',
      logging,
      define,
      timezone: '+00:00',
      dialectOptions: { charset: 'utf8mb4', supportBigNumbers: true, bigNumberStrings: false },
      pool: { max: poolMax, min: 0, idle: 10000, acquire: 30000 },
      ...(readUrls.length && { replication: { write: connectionTargetOf(url), read: readUrls.map(connectionTargetOf) } }),
    },
  };
}

export function createDatabase(url: string, log: Logger, options: DatabaseOptions = {}): Database {
  const { dialect, url: connectionUrl, options: sequelizeOptions } = sequelizeOptionsFor(url, log, options);
  const sequelize = connectionUrl ? new Sequelize(connectionUrl, sequelizeOptions) : new Sequelize(sequelizeOptions);
  if (dialect === 'sqlite') configureSqliteConnections(sequelize);
  const replicaCount = sequelizeOptions.replication ? sequelizeOptions.replication.read.length : 0;
  let replicaReads = 0;
  if (replicaCount) routeReadsToPrimaryUnlessAsked(sequelize, () => (replicaReads += 1));
  const writer = new Mutex();
  return {
    sequelize,
    dialect,
    replicas: { count: replicaCount, reads: () => replicaReads },
    transaction(work, options = {}) {
      if (dialect === 'sqlite') return writer.runExclusive(() => sequelize.transaction((tx) => work(tx)));
      return sequelize.transaction(options.readCommitted ? { isolationLevel: Transaction.ISOLATION_LEVELS.READ_COMMITTED } : {}, (tx) => work(tx));
    },
    exclusive(work) {
      return dialect === 'sqlite' ? writer.runExclusive(work) : work();
    },
    async ping() {
      await sequelize.query('SELECT 1');
    },
    async close() {
      await sequelize.close();
    },
  };
}

interface SqliteConnection {
  exec(sql: string, done: (error: Error | null) => void): void;
}

/**
 * Sequelize's SQLite dialect opens connections without running `afterConnect` hooks, so each new
 * connection is configured here: write-ahead logging, so that readers never wait for the writer.
 * The busy timeout stays node-sqlite3's (1 s), not longer: it waits for a lock on a libuv worker
 * thread, and a few waiting statements would starve the transaction that holds the lock. Writes are
 * serialized in-process instead (transactions and `exclusive`); a statement that met SQLITE_BUSY
 * (another process held the lock) is retried with backoff, by Sequelize and by `driver-execute` alike.
 */
function configureSqliteConnections(sequelize: Sequelize): void {
  const manager = sequelize.connectionManager as unknown as { getConnection(options?: unknown): Promise<SqliteConnection> };
  const open = manager.getConnection.bind(manager);
  const configured = new WeakSet<SqliteConnection>();
  manager.getConnection = async (options) => {
    const connection = await open(options);
    if (!configured.has(connection)) {
      configured.add(connection);
      await new Promise<void>((done, fail) => connection.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;', (error) => (error ? fail(error) : done())));
    }
    return connection;
  };
}
