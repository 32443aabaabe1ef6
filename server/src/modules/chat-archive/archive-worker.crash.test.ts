import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { startTestServer, type TestServer } from '../../testing/test-server';
import { createLogger } from '../../core/logger';
import { superviseProcess } from './archive-supervisor';
import { archiveFixture, archiveKeyPair, textMessage, waitForProgress } from './archive-test-kit';

const workerMain = resolve(__dirname, '..', '..', 'archive-worker-main.ts');
const key = archiveKeyPair(1);
const TOTAL = 1500;
// Progress, not wall time, decides: these only bound a test whose worker makes no progress at all.
const TEST_BUDGET_MS = 900_000;

describe('archive worker process', () => {
  let server: TestServer;
  let fixture: ReturnType<typeof archiveFixture>['fixture'];
  let workerEnv: NodeJS.ProcessEnv;
  let removeFixture: () => void = () => undefined;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    const setup = archiveFixture();
    fixture = setup.fixture;
    removeFixture = setup.remove;
    await server.running.services.chatArchive.keys.put(1, key.privateKeyPem);
    const customer = { from: 'zhangsan', to: 'wmCrashTest' };
    fixture.append(Array.from({ length: TOTAL }, (_, i) => ({ message: textMessage(`第${i}条消息 空调安装`, customer), key })));
    workerEnv = { ...process.env, ...server.env, FINANCE_STANDIN_DIR: fixture.dir, WECOM_FINANCE_SDK_PATH: setup.sdkPath, WECOM_CORP_ID: 'wwcrash', WECOM_ARCHIVE_SECRET: 'archive-secret', ARCHIVE_BATCH_SIZE: '20', ARCHIVE_POLL_MS: '200', SEED_DEMO: 'false' };
  }, 120_000);

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await server?.stop();
    removeFixture();
  });

  const counts = async () => {
    const { models } = server.running.services;
    const stored = await models.ArchiveMessage.count({ where: { external_userid: 'wmCrashTest' } });
    const distinct = await models.ArchiveMessage.count({ where: { external_userid: 'wmCrashTest' }, distinct: true, col: 'msgid' });
    const cursor = await models.ArchiveCursor.findOne({ where: { corp_id: 'wwcrash' }, raw: true });
    return { stored, distinct, lastSeq: Number(cursor?.last_seq ?? 0) };
  };

  it('loses and repeats nothing when the worker is SIGKILLed mid-run and started again', async () => {
    const start = () => {
      const child = spawn(process.execPath, ['--import', 'tsx', workerMain, '--child'], { env: workerEnv, stdio: ['ignore', 'ignore', 'inherit'] });
      children.push(child);
      return child;
    };
    const first = start();
    await waitForProgress(counts, (now) => now.stored >= 200, 90_000, 25);
    const exited = new Promise((done) => first.once('exit', done));
    first.kill('SIGKILL');
    await exited;
    const atKill = await counts();
    expect(atKill.stored).toBeLessThan(TOTAL);
    // Whatever was committed carries its sequence: rows and cursor agree at the kill.
    expect(atKill.stored).toBe(atKill.lastSeq);

    const second = start();
    await waitForProgress(counts, (now) => now.lastSeq === TOTAL);
    expect(await counts()).toEqual({ stored: TOTAL, distinct: TOTAL, lastSeq: TOTAL });
    second.kill('SIGTERM');
    await new Promise((done) => second.once('exit', done));
  }, TEST_BUDGET_MS);

  it('a crash inside the native library ends only the worker, which its supervisor restarts', async () => {
    const before = (await counts()).lastSeq;
    fixture.append(Array.from({ length: 30 }, () => ({ message: textMessage('崩溃之后的消息', { from: 'zhangsan', to: 'wmCrashTest' }), key })));
    fixture.armCrash();
    const supervisor = superviseProcess({ command: process.execPath, args: ['--import', 'tsx', workerMain, '--child'], env: workerEnv, log: createLogger('silent'), name: 'archive-worker' });
    try {
      await waitForProgress(async () => ({ ...(await counts()), restarts: supervisor.restarts }), (now) => now.lastSeq === before + 30);
      expect(supervisor.restarts).toBeGreaterThanOrEqual(1);
      expect(await counts()).toEqual({ stored: TOTAL + 30, distinct: TOTAL + 30, lastSeq: TOTAL + 30 });
      // The API process never loaded the library and is still serving.
      expect((await fetch(`${server.baseUrl}/readyz`)).status).toBe(200);
    } finally {
      await supervisor.stop();
    }
  }, TEST_BUDGET_MS);
});
