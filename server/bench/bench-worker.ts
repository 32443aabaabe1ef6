import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { countersOf } from './process-counters';

/** A `npm run worker` process beside a bench server, on the same database, Redis and APP_SECRET. */
export async function startBenchWorker(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '../src/worker-main.ts')], {
    env: { ...process.env, ...env, JOB_WORKER_ENABLED: 'true' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  await new Promise<void>((ready, fail) => {
    child.once('spawn', () => ready());
    child.once('error', fail);
  });
  return {
    /** CPU (user + system) the worker has used so far, in microseconds; 0 where /proc is missing. */
    cpuUs: () => countersOf(child.pid).cpuMs * 1000,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
