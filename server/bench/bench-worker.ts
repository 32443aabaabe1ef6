import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

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
    /** CPU (user + system) the worker has used so far, in microseconds; null where /proc is missing. */
    cpuUs(): number | null {
      try {
        const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
        return ((Number(fields[11]) + Number(fields[12])) * 1e6) / 100;
      } catch {
        return null;
      }
    },
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
