import { randomBytes } from 'node:crypto';
import { loadConfig } from '../config/load-config';
import { createDatabase, type Database } from '../core/db/database';
import { defineModels, type Models } from '../core/db/models';
import { createLogger } from '../core/logger';
import { killStrayServers, startServerProcess, type ServerProcess } from '../testing/server-process';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { apiClient, TEST_ADMIN_PASSWORD, TEST_DEMO_PASSWORD } from '../testing/test-server';

export interface Cluster {
  env: Record<string, string>;
  instances: ServerProcess[];
  database: TestDatabase;
  /** A direct connection for the test's own checks. */
  db: Database;
  models: Models;
  /** Starts one more instance with the same settings. */
  add(): Promise<ServerProcess>;
  login(instance: ServerProcess, username?: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * `count` server processes (`npm run serve`, as in production) on one fresh database of the server
 * named by `databaseServer` (DB_URL by default), sharing REDIS_URL (or `env.REDIS_URL`), one APP_SECRET and one Redis prefix.
 */
export async function startCluster(count: number, extraEnv: Record<string, string> = {}, databaseServer = process.env.DB_URL): Promise<Cluster> {
  const database = await createTestDatabase(databaseServer);
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    DB_URL: database.url,
    DATA_DIR: database.dataDir,
    REDIS_URL: process.env.REDIS_URL ?? '',
    REDIS_PREFIX: `scrm-scale:${randomBytes(4).toString('hex')}:`,
    APP_SECRET: randomBytes(32).toString('hex'),
    ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
    DEMO_PASSWORD: TEST_DEMO_PASSWORD,
    SEED_DEMO: 'true',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'error',
    WECOM_SANDBOX: 'off',
    JOB_POLL_MS: '200',
    ...extraEnv,
  };
  // Started together, as an orchestrator would: they race to migrate and seed.
  const instances = await Promise.all(Array.from({ length: count }, () => startServerProcess(env, 120_000)));
  const db = createDatabase(loadConfig({ ...env }).DB_URL, createLogger('silent'));
  const models = defineModels(db.sequelize);
  return {
    env,
    instances,
    database,
    db,
    models,
    async add() {
      const instance = await startServerProcess(env, 120_000);
      instances.push(instance);
      return instance;
    },
    async login(instance, username = 'admin') {
      const reply = await apiClient(instance.url)<{ data: { token: string } }>('POST', '/api/auth/login', {
        body: { username, password: username === 'admin' ? TEST_ADMIN_PASSWORD : TEST_DEMO_PASSWORD },
      });
      if (reply.status !== 200) throw new Error(`login as ${username}: ${reply.status} ${JSON.stringify(reply.body)}`);
      return reply.body.data.token;
    },
    async stop() {
      await Promise.all(instances.map((i) => (i.child.exitCode === null && i.child.signalCode === null ? i.terminate() : null)));
      killStrayServers();
      await db.close();
      await database.drop();
    },
  };
}
