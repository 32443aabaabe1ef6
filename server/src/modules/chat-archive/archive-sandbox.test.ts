import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { killStrayServers, startServerProcess } from '../../testing/server-process';
import { apiClient } from '../../testing/test-server';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database';
import { waitUntil } from '../../testing/wait-until';
import { DEMO_RULE } from './archive-sandbox-demo';

/** Running (not exited, not a zombie) processes whose command line mentions `needle`. */
const processesWith = (needle: string) =>
  execFileSync('ps', ['-eo', 'pid=,stat=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes(needle) && !/^\s*\d+\s+Z/.test(line))
    .map((line) => Number(line.trim().split(/\s+/)[0]));

describe('npm start in sandbox mode runs the chat archive', () => {
  let database: TestDatabase;
  afterAll(async () => {
    killStrayServers();
    await database?.drop();
  });

  it('starts the archive worker on the stand-in, archives generated conversations, raises the demo alert, and stops it on SIGTERM', async () => {
    database = await createTestDatabase();
    const server = await startServerProcess(
      {
      NODE_ENV: 'test',
      DB_URL: database.url,
      DATA_DIR: database.dataDir,
      APP_SECRET: randomBytes(32).toString('hex'),
      ADMIN_PASSWORD: 'admin-pass-123',
      LOG_LEVEL: 'warn',
      WECOM_SANDBOX: 'auto',
      WECOM_SANDBOX_CUSTOMERS: '8',
      ARCHIVE_POLL_MS: '500',
      ...(process.env.REDIS_URL && { REDIS_URL: process.env.REDIS_URL, REDIS_PREFIX: `scrm-archive-sandbox:${randomBytes(4).toString('hex')}:` }),
      },
      // A fresh MariaDB database runs every migration first.
      150_000,
    );
    const api = apiClient(server.url);
    const token = (await api<{ data: { token: string } }>('POST', '/api/auth/login', { body: { username: 'admin', password: 'admin-pass-123' } })).body.data.token;
    type Hits = { data: { items: Array<{ text: string | null; from: string | null }> } };
    const messages = () => api<Hits>('GET', '/api/chat-archive/messages?limit=100', { token });
    // A worker process on a loaded machine compiles and starts in a few seconds.
    await waitUntil(async () => (await messages()).body.data?.items.length === 11, 90_000);
    const texts = (await messages()).body.data.items.map((m) => m.text);
    expect(texts).toContain('下单后私下转账给我，还可以再返现 50 元');
    expect((await api<Hits>('GET', `/api/chat-archive/messages?q=${encodeURIComponent('净水器')}`, { token })).body.data.items).toHaveLength(1);

    type Alerts = { data: { items: Array<{ ruleName: string; excerpt: string }> } };
    const alerts = await api<Alerts>('GET', '/api/chat-archive/alerts', { token });
    expect(alerts.body.data.items).toEqual([expect.objectContaining({ ruleName: DEMO_RULE.name, excerpt: expect.stringContaining('返现') })]);
    const status = await api<{ data: { cursors: Array<{ corpId: string; lastSeq: number }> } }>('GET', '/api/chat-archive/status', { token });
    expect(status.body.data.cursors).toEqual([expect.objectContaining({ corpId: 'ww_sandbox_demo', lastSeq: 11 })]);

    // The worker is told where its stand-in fixture lives through its environment: find it by its data directory.
    const workerArgs = 'archive-worker-main.ts --child';
    const workers = processesWith(workerArgs).filter((pid) => execFileSync('cat', [`/proc/${pid}/environ`], { encoding: 'utf8' }).includes(database.dataDir));
    expect(workers).toHaveLength(1);
    expect(await server.terminate()).toBe(0);
    expect(processesWith(workerArgs).filter((pid) => workers.includes(pid))).toEqual([]);
  }, 300_000);
});
