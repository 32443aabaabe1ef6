import { spawn, type ChildProcess } from 'node:child_process';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createConnection } from 'mysql2/promise';
import { freePort } from '../testing/server-process';
import { waitUntil } from '../testing/wait-until';

const run = promisify(execFile);

/** A database or cache server of the test's own, on a free port, that the test may stop and start again. */
export interface PrivateService {
  url: string;
  /** Stops the server (SIGKILL: a crash, not a clean shutdown). */
  kill(): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
  close(): Promise<void>;
}

async function supervise(command: string, args: string[], ready: () => Promise<boolean>, dir: string, port: number, scheme: string): Promise<PrivateService> {
  let child: ChildProcess | null = null;
  const start = async () => {
    child = spawn(command, args, { stdio: 'ignore' });
    await waitUntil(ready, 60_000, 100);
  };
  const kill = async () => {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((done) => running.once('exit', done));
    running.kill('SIGKILL');
    await exited;
  };
  await start();
  return {
    url: `${scheme}://${scheme === 'mysql' ? 'root@' : ''}127.0.0.1:${port}`,
    kill,
    start,
    async close() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A private `redis-server` (no persistence), so restarting it leaves the shared one alone. */
export async function startPrivateRedis(): Promise<PrivateService> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'scale-redis-'));
  const ping = () => run('redis-cli', ['-p', String(port), 'ping']).then((r) => r.stdout.trim() === 'PONG', () => false);
  return supervise('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], ping, dir, port, 'redis');
}

/** A private `mariadbd` on a fresh data directory, so restarting it leaves the shared server alone. */
export async function startPrivateMariadb(): Promise<PrivateService> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'scale-mariadb-'));
  const datadir = join(dir, 'data');
  // mariadbd refuses to run as root unless told to; as anyone else it runs as that user.
  const asUser = process.getuid?.() === 0 ? ['--user=root'] : [];
  await run('mariadb-install-db', ['--no-defaults', `--datadir=${datadir}`, '--auth-root-authentication-method=normal', ...asUser, '--skip-test-db']);
  const ping = () =>
    createConnection({ host: '127.0.0.1', port, user: 'root' }).then(
      (c) => c.end().then(() => true),
      () => false,
    );
  const args = ['--no-defaults', `--datadir=${datadir}`, `--socket=${join(dir, 'mariadb.sock')}`, `--port=${port}`, '--bind-address=127.0.0.1', ...asUser, '--skip-grant-tables', '--skip-log-bin', '--innodb-buffer-pool-size=64M'];
  return supervise('mariadbd', args, ping, dir, port, 'mysql');
}
