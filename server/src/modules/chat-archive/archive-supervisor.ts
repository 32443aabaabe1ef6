import { spawn, type ChildProcess } from 'node:child_process';
import type { Logger } from '../../core/logger';

/**
 * Keeps one child process running: started again after it exits (a native crash, a kill), waiting a
 * little longer after each quick failure, up to 30 s. The parent never loads what the child loads.
 */
export function superviseProcess(options: { command: string; args: string[]; env?: NodeJS.ProcessEnv; log: Logger; name: string }) {
  let child: ChildProcess | null = null;
  let stopping = false;
  let restarts = 0;
  let delay = 500;

  const start = () => {
    const startedAt = Date.now();
    child = spawn(options.command, options.args, { env: options.env ?? process.env, stdio: 'inherit' });
    child.once('exit', (code, signal) => {
      child = null;
      if (stopping) return;
      delay = Date.now() - startedAt > 60_000 ? 500 : Math.min(delay * 2, 30_000);
      restarts++;
      options.log.error({ process: options.name, code, signal, restarts, retryInMs: delay }, 'child process exited: restarting');
      setTimeout(() => !stopping && start(), delay).unref();
    });
  };
  start();

  return {
    get restarts() {
      return restarts;
    },
    get pid() {
      return child?.pid ?? null;
    },
    stop(): Promise<void> {
      stopping = true;
      const running = child;
      if (!running) return Promise.resolve();
      return new Promise((done) => {
        running.once('exit', () => done());
        running.kill('SIGTERM');
      });
    },
  };
}
