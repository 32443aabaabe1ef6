import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import type { Models } from '../core/db/models';
import { archiveFixture, archiveKeyPair, textMessage } from '../modules/chat-archive/archive-test-kit';
import { apiClient } from '../testing/test-server';

const workerMain = resolve(__dirname, '..', 'archive-worker-main.ts');
const CORP = 'ww_scale_archive';
const CONTACT = 'wmScaleArchive';

/**
 * `npm run worker:archive` (the supervisor and its worker, as in production) beside a cluster, pulling
 * from the Finance SDK stand-in. The private key is stored through one instance's API.
 */
export async function startArchiveWorker(env: Record<string, string>, apiUrl: string, adminToken: string) {
  const key = archiveKeyPair(1);
  const { fixture, sdkPath } = archiveFixture();
  const stored = await apiClient(apiUrl)('PUT', '/api/chat-archive/keys/1', { token: adminToken, body: { privateKey: key.privateKeyPem } });
  if (stored.status !== 200) throw new Error(`store archive key: ${stored.status} ${JSON.stringify(stored.body)}`);
  const child = spawn(process.execPath, ['--import', 'tsx', workerMain], {
    env: { PATH: process.env.PATH ?? '', ...env, FINANCE_STANDIN_DIR: fixture.dir, WECOM_FINANCE_SDK_PATH: sdkPath, WECOM_CORP_ID: CORP, WECOM_ARCHIVE_SECRET: 'archive-secret', ARCHIVE_BATCH_SIZE: '50', ARCHIVE_POLL_MS: '200' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return {
    /** Adds `count` messages to the archive WeCom would serve. */
    append(count: number): void {
      fixture.append(Array.from({ length: count }, (_, i) => ({ message: textMessage(`第${i}条 扩容测试`, { from: 'zhangsan', to: CONTACT }), key })));
    },
    async counts(models: Models) {
      const where = { external_userid: CONTACT };
      const cursor = await models.ArchiveCursor.findOne({ where: { corp_id: CORP }, raw: true });
      return { stored: await models.ArchiveMessage.count({ where }), distinct: await models.ArchiveMessage.count({ where, distinct: true, col: 'msgid' }), lastSeq: Number(cursor?.last_seq ?? 0) };
    },
    /** SIGTERM to the supervisor, which stops its worker; resolves with the exit code. */
    async stop(): Promise<number | null> {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
