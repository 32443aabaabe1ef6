import { randomBytes } from 'node:crypto';
import { loadConfig } from '../config/load-config';
import { startServer, type RunningServer } from '../server';
import { createTestDatabase, type TestDatabase } from './test-database';

export const TEST_ADMIN_PASSWORD = 'admin-pass-123';
export const TEST_DEMO_PASSWORD = 'demo-pass-123';

export interface ApiReply<T = unknown> {
  status: number;
  body: T & { code: number | string; data?: unknown; message?: string; details?: unknown };
  headers: Headers;
}

export interface TestServer {
  baseUrl: string;
  adminPassword: string;
  demoPassword: string;
  running: RunningServer;
  database: TestDatabase;
  /** The environment this server was started with, to start a second instance on the same database. */
  env: Record<string, string>;
  api<T = unknown>(method: string, path: string, options?: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> }): Promise<ApiReply<T>>;
  login(username: string, password?: string): Promise<string>;
  stop(): Promise<void>;
}

export function apiClient(baseUrl: string) {
  return async <T>(method: string, path: string, options: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {}): Promise<ApiReply<T>> => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined;
    if (options.rawBody !== undefined) body = options.rawBody;
    else if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
    const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON (CSV, HTML): keep the text
    }
    return { status: response.status, body: parsed as ApiReply<T>['body'], headers: response.headers };
  };
}

/**
 * Starts a real server on a free port over a fresh database (SQLite, or MySQL/MariaDB and Redis when
 * DB_URL / REDIS_URL are set), with the demo organisation seeded and known passwords.
 */
export async function startTestServer(opts: { env?: Record<string, string>; database?: TestDatabase } = {}): Promise<TestServer> {
  const database = opts.database ?? (await createTestDatabase());
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    DB_URL: database.url,
    DATA_DIR: database.dataDir,
    APP_SECRET: randomBytes(32).toString('hex'),
    ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
    DEMO_PASSWORD: TEST_DEMO_PASSWORD,
    SEED_DEMO: 'true',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    SCHEDULER_ENABLED: 'false',
    JOB_POLL_MS: '200',
    WECOM_SANDBOX: 'off',
    ...(process.env.REDIS_URL && { REDIS_URL: process.env.REDIS_URL, REDIS_PREFIX: `scrm-test:${randomBytes(4).toString('hex')}:` }),
    ...opts.env,
  };
  const running = await startServer(loadConfig(env));
  const api = apiClient(running.url);
  return {
    baseUrl: running.url,
    adminPassword: TEST_ADMIN_PASSWORD,
    demoPassword: TEST_DEMO_PASSWORD,
    running,
    database,
    env,
    api,
    async login(username, password) {
      const reply = await api<{ data: { token: string } }>('POST', '/api/auth/login', {
        body: { username, password: password ?? (username === 'admin' ? TEST_ADMIN_PASSWORD : TEST_DEMO_PASSWORD) },
      });
      if (reply.status !== 200) throw new Error(`login as ${username} failed: ${reply.status} ${JSON.stringify(reply.body)}`);
      return (reply.body.data as { token: string }).token;
    },
    async stop() {
      await running.stop();
      if (!opts.database) await database.drop();
    },
  };
}
