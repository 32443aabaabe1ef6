import { createLogger } from './core/logger';
import { superviseProcess } from './modules/chat-archive/archive-supervisor';
import { startArchiveWorker } from './modules/chat-archive/archive-worker';
import { runProcess } from './process-runner';

/**
 * `npm run worker:archive`: a supervisor that keeps the archive worker (`--child`) running, so a crash
 * in the native Finance SDK costs a restart from the last committed sequence and nothing else.
 */
if (process.argv.includes('--child')) {
  runProcess(async (config) => startArchiveWorker(config));
} else {
  const log = createLogger(process.env.LOG_LEVEL === 'silent' ? 'silent' : 'info');
  const supervisor = superviseProcess({ command: process.execPath, args: [...process.execArgv, __filename, '--child'], log, name: 'archive-worker' });
  const stop = () => void supervisor.stop().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
