import { AsyncLocalStorage } from 'node:async_hooks';
import type { Sequelize } from 'sequelize';

/** One MySQL/MariaDB server as Sequelize's replication settings name it. */
export interface ConnectionTarget {
  host: string;
  port: number;
  username: string;
  password: string;
  database: string;
}

export function connectionTargetOf(url: string): ConnectionTarget {
  const parsed = new URL(url.replace(/^mariadb:/, 'mysql:'));
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 3306),
    username: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    database: decodeURIComponent(parsed.pathname.slice(1)),
  };
}

const replicaScope = new AsyncLocalStorage<true>();

/**
 * Runs `work` with its reads (SELECTs outside a transaction) allowed on a read replica. Everything
 * else stays on the primary: writes, transactions, and every read not wrapped here, so a path that
 * must see what it just wrote (sessions, job claims, idempotency checks) never meets replica lag.
 */
export const readFromReplica = <T>(work: () => Promise<T>): Promise<T> => replicaScope.run(true, work);

/**
 * Sequelize sends every SELECT outside a transaction to the read pool unless `useMaster` is set.
 * This turns that around: the primary unless the query runs inside `readFromReplica`.
 */
export function routeReadsToPrimaryUnlessAsked(sequelize: Sequelize, onRead?: () => void): void {
  sequelize.addHook('beforePoolAcquire', (options) => {
    const mutable = options as { useMaster?: boolean; type?: string };
    mutable.useMaster = replicaScope.getStore() !== true;
    if (!mutable.useMaster && mutable.type === 'SELECT') onRead?.();
  });
}
