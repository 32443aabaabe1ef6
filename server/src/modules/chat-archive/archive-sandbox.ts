import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { buildFinanceStandin } from '@scrm/wecom-adapter/src/finance/build-standin';
import { createFinanceFixture } from '@scrm/wecom-adapter/src/finance/finance-fixture';
import type { Services } from '../../app';
import { withStartupLock } from '../../core/db/migrator';
import { superviseProcess } from './archive-supervisor';
import { seedSandboxArchive, type SandboxPair } from './archive-sandbox-demo';

const SANDBOX_ARCHIVE_SECRET = 'sandbox-archive-secret';

export interface RunningArchiveSandbox {
  dir: string;
  stop(): Promise<void>;
}

/**
 * Sandbox mode: the archive worker runs as a supervised child process on the Finance SDK stand-in
 * (compiled with the machine's C compiler), serving generated conversations of the sandbox corp. No C
 * compiler: one log line, and the server starts without it.
 */
export async function startArchiveSandbox(services: Pick<Services, 'config' | 'db' | 'models' | 'audit' | 'chatArchive' | 'log'>, sandbox: { corpId: string; pairs: SandboxPair[] }): Promise<RunningArchiveSandbox | null> {
  const log = services.log.child({ component: 'chat-archive' });
  let library: string;
  try {
    library = buildFinanceStandin(join(services.config.dataDir, 'finance-standin'));
  } catch (error) {
    log.warn({ reason: (error as Error).message.split('\n')[0] }, 'chat archive sandbox skipped: no C compiler (cc) to build the Finance SDK stand-in');
    return null;
  }
  const dir = join(services.config.dataDir, 'archive-sandbox');
  mkdirSync(dir, { recursive: true });
  const chatFile = join(dir, 'chatdata.jsonl');
  // Generated once: the stand-in serves the same archive on every later start. Instances started
  // together take turns, so only the first one generates it (and its key).
  await withStartupLock(services.db, async () => {
    if (existsSync(chatFile) && statSync(chatFile).size > 0) return;
    const fixture = createFinanceFixture(dir);
    const generated = await seedSandboxArchive({ ...services, keys: services.chatArchive.keys, fixture, pairs: sandbox.pairs });
    log.info({ messages: generated }, 'sandbox chat archive generated');
  });
  const worker = superviseProcess({
    command: process.execPath,
    args: [...process.execArgv, join(__dirname, '../../archive-worker-main.ts'), '--child'],
    env: { ...process.env, FINANCE_STANDIN_DIR: dir, WECOM_FINANCE_SDK_PATH: library, WECOM_ARCHIVE_SECRET: SANDBOX_ARCHIVE_SECRET, WECOM_CORP_ID: sandbox.corpId },
    log,
    name: 'archive-worker',
  });
  log.info({ pid: worker.pid }, 'sandbox archive worker started');
  return { dir, stop: () => worker.stop() };
}
