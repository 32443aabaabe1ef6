import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Op } from 'sequelize';
import { startTestServer } from '../src/testing/test-server';

const EMPLOYEES = Number(process.env.BENCH_SYNC_EMPLOYEES ?? 50);
const CUSTOMERS = Number(process.env.BENCH_SYNC_CUSTOMERS ?? 100_000);
/** The sandbox's per-API per-minute quota: low enough that the ~1,100 batch calls span several minutes. */
const QUOTA = Number(process.env.BENCH_SYNC_QUOTA ?? 300);
const USERS_PER_CALL = 100;
const PAGE = 100;

interface SandboxStats {
  rateLimited: number;
  calls: Record<string, number>;
  customers: number;
  followRelations: number;
  employees: number;
}

async function startSandbox(): Promise<{ url: string; stop(): void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'sync-sandbox.ts'), String(EMPLOYEES), String(CUSTOMERS), String(QUOTA)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /READY (\S+)/.exec(out);
      if (match) resolve(match[1] as string);
    });
    child.once('exit', (code) => reject(new Error(`sandbox exited with ${code}`)));
  });
  return { url, stop: () => child.kill('SIGTERM') };
}

/**
 * The least time the quota allows for `calls` calls of one API, starting at `startMs`: the quota
 * counts calls per clock minute, so the last call can come no earlier than the start of the
 * ceil(calls / quota)-th minute window.
 */
export function floorSeconds(calls: number, quota: number, startMs: number): number {
  const windows = Math.ceil(calls / quota);
  if (windows <= 1) return 0;
  const intoMinute = (startMs % 60_000) / 1000;
  return (windows - 1) * 60 - intoMinute;
}

/**
 * Full customer sync of a sandbox corp (50 employees, 100,000 customers by default) into the
 * configured database (DB_URL, REDIS_URL), against the least time the sandbox's quota allows.
 */
export async function benchSync() {
  const sandbox = await startSandbox();
  const stats = async () => (await (await fetch(`${sandbox.url}/__bench/stats`)).json()) as SandboxStats;
  const server = await startTestServer({
    env: {
      WECOM_CORP_ID: 'ww_bench_sync',
      WECOM_API_BASE: sandbox.url,
      WECOM_CUSTOMER_SECRET: 'bench-customer',
      WECOM_CONTACT_SECRET: 'bench-contact',
      WECOM_AGENT_SECRET: 'bench-agent',
      WECOM_AGENT_ID: '1000002',
      // One below the quota: a call counted at the end of a minute by us may reach WeCom in the next.
      WECOM_API_PER_MINUTE: String(QUOTA - 1),
      SEED_DEMO: 'false',
      SCHEDULER_ENABLED: 'false',
      JOB_WORKER_ENABLED: 'false',
    },
  });
  try {
    const { services } = server.running;
    const before = await stats();
    // Every page of batch/get_by_user is one call: 100 employees per call, 100 relations per page.
    if (before.employees > USERS_PER_CALL) throw new Error('the floor below assumes at most 100 employees');
    const calls = Math.ceil(before.followRelations / PAGE);
    // Start at the top of a minute, as the quota's windows do.
    await new Promise((resolve) => setTimeout(resolve, 60_000 - (Date.now() % 60_000) + 50));
    const started = Date.now();
    const run = await services.wecom.syncRuns.start('customers', 'manual');
    await services.queue.drain();
    const seconds = (Date.now() - started) / 1000;
    const finished = await services.wecom.syncRuns.get(Number(run.id));
    if (finished?.status !== 'done') throw new Error(`sync did not finish: ${finished?.status} ${finished?.error ?? ''}`);
    const customers = await services.models.Customer.count({ where: { external_userid: { [Op.ne]: null } } });
    const after = await stats();
    const floor = floorSeconds(calls, QUOTA, started);
    process.stderr.write(
      `database: ${server.database.url.split(':')[0]}, sandbox: ${before.employees} employees, ${before.customers} customers, ${before.followRelations} relations; quota ${QUOTA}/min; batch calls ${after.calls['externalcontact/batch/get_by_user'] ?? 0} (needed ${calls}); 45009 answers: ${after.rateLimited}\n`,
    );
    if (customers !== before.customers) throw new Error(`stored ${customers} customers, the sandbox has ${before.customers}`);
    if (after.rateLimited) throw new Error(`the sandbox answered 45009 ${after.rateLimited} times`);
    return { customers, seconds: Math.round(seconds * 10) / 10, floor_seconds: Math.round(floor * 10) / 10, ratio: floor > 0 ? Math.round((seconds / floor) * 100) / 100 : null };
  } finally {
    await server.stop();
    sandbox.stop();
  }
}
