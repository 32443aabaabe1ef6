import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { startTestServer, type TestServer } from '../../testing/test-server';
import { cryptoFor, sealedCallback, testWecomEnv } from '../../testing/wecom-test-callbacks';
import { archiveFixture, archiveKeyPair, textMessage, waitForProgress } from './archive-test-kit';

const root = resolve(__dirname, '../../../..');
const workerMain = resolve(root, 'server/src/archive-worker-main.ts');
const wecomEnv = testWecomEnv('ww_archive_notify');
const corp = wecomEnv.WECOM_CORP_ID;
const key = archiveKeyPair(1);

describe('archive worker wake-up', () => {
  let server: TestServer;
  let worker: ChildProcess | null = null;

  beforeAll(async () => {
    server = await startTestServer({ env: { ...wecomEnv, JOB_WORKER_ENABLED: 'false' } });
  }, 120_000);

  afterAll(async () => {
    if (worker && worker.exitCode === null && worker.signalCode === null) {
      const exited = new Promise((done) => worker!.once('exit', done));
      worker.kill('SIGTERM');
      await exited;
    }
    await server?.stop();
  });

  // Messages and cursor move in one transaction; counting first means a count that saw the batch
  // is never paired with a cursor read from before it.
  const stored = async () => {
    const { models } = server.running.services;
    const count = await models.ArchiveMessage.count({ where: { external_userid: 'wmNotify' } });
    const cursor = await models.ArchiveCursor.findOne({ where: { corp_id: corp }, raw: true });
    return { cursor: cursor ? Number(cursor.last_seq) : null, stored: count };
  };

  it('pulls as soon as a msgaudit_notify callback arrives, long before the next poll', async () => {
    const { sdkPath, fixture } = archiveFixture();
    await server.running.services.chatArchive.keys.put(1, key.privateKeyPem);
    // A poll interval no test waits for: only the callback can wake the worker in time.
    const env = { ...process.env, ...server.env, FINANCE_STANDIN_DIR: fixture.dir, WECOM_FINANCE_SDK_PATH: sdkPath, WECOM_ARCHIVE_SECRET: 'archive-secret', ARCHIVE_POLL_MS: '600000', SEED_DEMO: 'false' };
    worker = spawn(process.execPath, ['--import', 'tsx', workerMain, '--child'], { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] });
    // Started and idle: its cursor exists, at 0.
    await waitForProgress(stored, (now) => now.cursor === 0);

    fixture.append(Array.from({ length: 5 }, (_, i) => ({ message: textMessage(`通知后的消息${i}`, { from: 'zhangsan', to: 'wmNotify' }), key })));
    const xml = `<xml><ToUserName><![CDATA[${corp}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName><CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[event]]></MsgType><AgentID>2000004</AgentID><Event><![CDATA[msgaudit_notify]]></Event></xml>`;
    const request = sealedCallback(cryptoFor(wecomEnv), corp, xml);
    expect((await server.api('POST', request.path, { rawBody: request.body, headers: { 'content-type': 'text/xml' } })).status).toBe(200);
    await server.running.services.wecom.callbacks.dispatchPending();
    await server.running.services.queue.drain();
    expect((await server.running.services.models.ArchiveCursor.findOne({ where: { corp_id: corp }, raw: true }))?.notified_at).not.toBeNull();

    expect(await waitForProgress(stored, (now) => now.stored === 5, 60_000)).toEqual({ cursor: 5, stored: 5 });
  }, 600_000);
});
