import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '../server/src/testing/test-database';
import { waitUntil } from '../server/src/testing/wait-until';
import { archiveFixture } from '../server/src/modules/chat-archive/archive-test-kit';
import { dockerDir, dockerfileInstructions, loadManifests, repoRoot } from './deploy-kit';

const entrypoint = join(dockerDir, 'entrypoint.sh');

const freePort = () =>
  new Promise<number>((done, fail) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? done(address.port) : fail(new Error('no port'))));
    });
  });

/** A clean environment, as a container gets: no settings leak in from the test runner. */
const baseEnv = () => ({ PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'warn' });

/** The HTTP paths the image, compose and Kubernetes probe. */
function probedPaths(): string[] {
  const healthcheck = dockerfileInstructions().filter((i) => i.keyword === 'HEALTHCHECK').map((i) => /\/(healthz|readyz)/.exec(i.args)?.[0]);
  const k8s = loadManifests(join(dockerDir, 'k8s', 'server.yaml'))
    .filter((o) => o.kind === 'Deployment')
    .flatMap((o) => JSON.stringify(o).match(/"path":"\/[a-z]+"/g) ?? [])
    .map((match) => match.slice(8, -1));
  return [...new Set([...healthcheck, ...k8s].filter((path): path is string => Boolean(path)))];
}

describe('the image entrypoint, run directly', () => {
  let database: TestDatabase;
  let child: ChildProcess | undefined;
  beforeEach(async () => {
    database = await createTestDatabase();
  });
  afterEach(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await database.drop();
  });

  it('migrates, starts the server, answers its probes, and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    let output = '';
    child = spawn('bash', [entrypoint], {
      cwd: '/',
      env: { ...baseEnv(), NODE_ENV: 'production', APP_SECRET: randomBytes(32).toString('hex'), ADMIN_PASSWORD: 'entry-point-123', DB_URL: database.url, DATA_DIR: database.dataDir, PORT: String(port), HOST: '127.0.0.1', WECOM_SANDBOX: 'off' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((done) => child?.once('exit', (code) => done(code)));
    const base = `http://127.0.0.1:${port}`;
    await waitUntil(async () => (await fetch(`${base}/readyz`).catch(() => null))?.status === 200 || child?.exitCode !== null, 45_000);
    expect(child.exitCode).toBeNull();
    expect(output).toContain('applied: 0001-organisation');

    const paths = probedPaths();
    expect(paths.sort()).toEqual(['/healthz', '/readyz']);
    for (const path of paths) expect((await fetch(`${base}${path}`)).status).toBe(200);
    const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'entry-point-123' }) });
    expect(login.status).toBe(200);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
    console.log(`entrypoint: migrated, answered ${paths.join(' and ')} and sign-in on port ${port}, exited 0 on SIGTERM`);
  });

  it('runs the chat-archive worker under its supervisor, which stops cleanly on SIGTERM', async () => {
    const { sdkPath, fixture, remove } = archiveFixture();
    let output = '';
    try {
      child = spawn('bash', [entrypoint, 'archive-worker'], {
        cwd: '/',
        env: { ...baseEnv(), LOG_LEVEL: 'info', NODE_ENV: 'production', APP_SECRET: randomBytes(32).toString('hex'), DB_URL: database.url, DATA_DIR: database.dataDir, WECOM_SANDBOX: 'off', WECOM_CORP_ID: 'wwentrypoint', WECOM_ARCHIVE_SECRET: 'archive-secret', WECOM_FINANCE_SDK_PATH: sdkPath, FINANCE_STANDIN_DIR: fixture.dir, ARCHIVE_POLL_MS: '200' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const exited = new Promise<number | null>((done) => child?.once('exit', (code) => done(code)));
      await waitUntil(async () => output.includes('archive worker started') || child?.exitCode !== null, 60_000);
      expect(output).toContain('applied: 0001-organisation');
      expect(output).toContain('archive worker started');
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      remove();
    }
  });

  it('refuses to start in production without the required settings, naming them, before touching the database', () => {
    const result = spawnSync('bash', [entrypoint], { cwd: repoRoot, env: { ...baseEnv(), NODE_ENV: 'production', DATA_DIR: database.dataDir }, encoding: 'utf8' });
    expect(result.status).toBe(64);
    for (const name of ['APP_SECRET', 'DB_URL', 'WECOM_CORP_ID']) expect(result.stderr).toContain(name);
    expect(readdirSync(database.dataDir)).toEqual([]);
  });

  it('refuses placeholder values copied from .env.example', () => {
    const env = { ...baseEnv(), NODE_ENV: 'production', APP_SECRET: 'change-me-to-at-least-32-random-characters', DB_URL: database.url, DATA_DIR: database.dataDir, WECOM_SANDBOX: 'off' };
    const result = spawnSync('bash', [entrypoint, 'worker'], { cwd: repoRoot, env, encoding: 'utf8' });
    expect(result.status).toBe(64);
    expect(result.stderr).toContain('APP_SECRET still holds its placeholder');
    expect(existsSync(join(database.dataDir, 'scrm.sqlite'))).toBe(false);
  });
});
