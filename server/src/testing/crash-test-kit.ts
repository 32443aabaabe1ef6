import { randomBytes } from 'node:crypto';
import type { ServerProcess } from './server-process';
import type { TestDatabase } from './test-database';

export const CRASH_ADMIN_PASSWORD = 'admin-pass-123';

/**
 * The settings of a server process that a crash test kills and starts again on `database`: short job
 * leases and polls, so the restarted process takes over quickly, and a Redis prefix of its own.
 */
export function crashTestEnv(database: TestDatabase, name: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'test',
    DB_URL: database.url,
    DATA_DIR: database.dataDir,
    APP_SECRET: randomBytes(32).toString('hex'),
    ADMIN_PASSWORD: CRASH_ADMIN_PASSWORD,
    SEED_DEMO: 'false',
    LOG_LEVEL: 'warn',
    JOB_LEASE_MS: '1000',
    JOB_POLL_MS: '100',
    WECOM_SANDBOX: 'off',
    ...(process.env.REDIS_URL && { REDIS_URL: process.env.REDIS_URL, REDIS_PREFIX: `scrm-${name}:${randomBytes(4).toString('hex')}:` }),
    ...extra,
  };
}

/**
 * Sends every delivery over `concurrency` connections and SIGKILLs `server` once a third of them has
 * been answered 200. Resolves with the keys of the deliveries answered 200, the ones that must survive.
 */
export async function sendThroughKill<T>(server: ServerProcess, deliveries: T[], options: { concurrency: number; key: (delivery: T) => string; send: (url: string, delivery: T) => Promise<Response> }) {
  const acknowledged = new Set<string>();
  let next = 0;
  let killed = false;
  const sender = async () => {
    while (next < deliveries.length) {
      const delivery = deliveries[next++] as T;
      if (!killed && acknowledged.size >= deliveries.length / 3) {
        killed = true;
        server.child.kill('SIGKILL');
      }
      const status = await options.send(server.url, delivery).then(
        (r) => r.status,
        () => 0,
      );
      if (status === 200) acknowledged.add(options.key(delivery));
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, sender));
  return { acknowledged, killed };
}
