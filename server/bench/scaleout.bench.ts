import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startCluster, type Cluster } from '../src/scale/cluster';
import { cryptoFor, externalContactXml, sealedCallback, testWecomEnv } from '../src/testing/wecom-test-callbacks';
import type { LoadPlan, LoadRequest } from './scaleout-load';

/**
 * Connections per instance: an instance is added because more clients (WeCom deliveries, console
 * users) are sending at once, so three instances are offered three times the concurrency.
 */
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
/** Requests per measured run: half callbacks (each a new event), half API reads. */
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 20_000);
const INSTANCES = Number(process.env.BENCH_INSTANCES ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
/** Requests each instance answers before measuring, so that every instance's hot paths are compiled alike. */
const WARMUP_PER_INSTANCE = Number(process.env.BENCH_WARMUP ?? 4000);
/** `callbacks` or `api` drives one kind alone (to see which one does not scale); both by default. */
const MIX = process.env.BENCH_MIX ?? 'both';
const run = promisify(execFile);

interface Load {
  rps: number;
  p99: number;
  ok: number;
  failed: number;
  /** What the instances did per answered request: CPU (user + system, ms), read/write system calls, and context switches (waiting, and preempted). */
  perRequest?: ProcessCounters;
}

interface ProcessCounters {
  cpuMs: number;
  syscalls: number;
  waits: number;
  preemptions: number;
}

const zero: ProcessCounters = { cpuMs: 0, syscalls: 0, waits: 0, preemptions: 0 };

/** A process's counters so far, from /proc (all zero where /proc is missing). */
function countersOf(pid: number | undefined): ProcessCounters {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    const field = (text: string, name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(text)?.[1] ?? 0);
    const io = readFileSync(`/proc/${pid}/io`, 'utf8');
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return {
      cpuMs: ((Number(stat[11]) + Number(stat[12])) * 1000) / 100,
      syscalls: field(io, 'syscr') + field(io, 'syscw'),
      waits: field(status, 'voluntary_ctxt_switches'),
      preemptions: field(status, 'nonvoluntary_ctxt_switches'),
    };
  } catch {
    return zero;
  }
}

const sum = (all: ProcessCounters[]): ProcessCounters => all.reduce((a, b) => ({ cpuMs: a.cpuMs + b.cpuMs, syscalls: a.syscalls + b.syscalls, waits: a.waits + b.waits, preemptions: a.preemptions + b.preemptions }), zero);

/** Runs the load generator in its own process: every request once, spread evenly over `urls`. */
async function drive(urls: string[], requests: LoadRequest[]): Promise<Load> {
  const dir = mkdtempSync(join(tmpdir(), 'scrm-scaleout-'));
  const file = join(dir, 'plan.json');
  const plan: LoadPlan = { urls, connections: CONNECTIONS, requests };
  writeFileSync(file, JSON.stringify(plan));
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', join(__dirname, 'scaleout-load.ts'), file], { maxBuffer: 1 << 20 });
    return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Load;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Half sealed WeCom callbacks (each a new event), half signed-in API reads: a customer list page and a work-order list page. */
function requestMix(wecomEnv: ReturnType<typeof testWecomEnv>, token: string, round: string): LoadRequest[] {
  const crypto = cryptoFor(wecomEnv);
  const auth = { authorization: `Bearer ${token}` };
  const reads: LoadRequest[] = [
    { method: 'GET', path: '/api/customers?page=1&pageSize=20', headers: auth },
    { method: 'GET', path: '/api/work-orders?page=1&pageSize=20', headers: auth },
  ];
  return Array.from({ length: MIX === 'both' ? Math.ceil(REQUESTS / 2) : REQUESTS }, (_, i) => {
    const xml = externalContactXml(wecomEnv.WECOM_CORP_ID, { changeType: 'add_external_contact', userId: 'zhangsan', externalUserId: `wm_${round}_${i}`, createTime: 1700000000 + i });
    const callback: LoadRequest = { method: 'POST', headers: { 'content-type': 'text/xml' }, ...sealedCallback(crypto, wecomEnv.WECOM_CORP_ID, xml) };
    return [...(MIX !== 'api' ? [callback] : []), ...(MIX !== 'callbacks' ? [reads[i % reads.length]!] : [])];
  }).flat();
}

async function measure(cluster: Cluster, urls: string[], requests: LoadRequest[]): Promise<Load> {
  const countersOfAll = () => sum(cluster.instances.map((i) => countersOf(i.child.pid)));
  const before = countersOfAll();
  const load = await drive(urls, requests);
  const after = countersOfAll();
  const per = (pick: (c: ProcessCounters) => number) => (pick(after) - pick(before)) / Math.max(1, load.ok);
  const perRequest = { cpuMs: per((c) => c.cpuMs), syscalls: per((c) => c.syscalls), waits: per((c) => c.waits), preemptions: per((c) => c.preemptions) };
  process.stderr.write(
    `${urls.length} instance(s): ${Math.round(load.rps)} rps, p99 ${load.p99} ms, ${load.ok} ok, ${load.failed} failed; per request ${perRequest.cpuMs.toFixed(2)} ms CPU, ${perRequest.syscalls.toFixed(2)} read/write calls, ${perRequest.waits.toFixed(2)} waits, ${perRequest.preemptions.toFixed(2)} preemptions; ${((perRequest.cpuMs * load.rps) / 1000).toFixed(2)} cores busy\n`,
  );
  return { ...load, perRequest };
}

const mean = (loads: Load[], pick: (load: Load) => number) => loads.reduce((total, load) => total + pick(load), 0) / loads.length;
const perRequest = (loads: Load[], pick: (counters: ProcessCounters) => number) => Math.round(mean(loads, (l) => pick(l.perRequest ?? zero)) * 100) / 100;

/**
 * Callback + API throughput against one `npm run serve` instance and against INSTANCES instances,
 * all started together on one database and Redis (configured DB_URL / REDIS_URL) and warmed up; the
 * two are measured alternately, ROUNDS times, so that drift on a shared machine hits both alike.
 * The instances only ingest and answer: job workers and the scheduler are off, so the figure is the
 * request path's, not background processing's.
 */
export async function benchScaleout() {
  const wecomEnv = testWecomEnv('ww_scaleout_corp');
  const cluster = await startCluster(INSTANCES, { ...wecomEnv, JOB_WORKER_ENABLED: 'false', SCHEDULER_ENABLED: 'false', LOG_LEVEL: 'warn' });
  try {
    const token = await cluster.login(cluster.instances[0]!);
    const all = cluster.instances.map((i) => i.url);
    // Every instance compiles and caches on first use: warm them all as much as the single instance
    // is warmed by its own runs, or the three would be measured colder than the one.
    await drive(all, requestMix(wecomEnv, token, 'warm').slice(0, WARMUP_PER_INSTANCE * all.length));
    const one: Load[] = [];
    const many: Load[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      one.push(await measure(cluster, all.slice(0, 1), requestMix(wecomEnv, token, `one${round}`)));
      many.push(await measure(cluster, all, requestMix(wecomEnv, token, `many${round}`)));
    }
    process.stderr.write(`database: ${cluster.database.url.split(':')[0]}, redis: ${cluster.env.REDIS_URL ? 'yes' : 'no'}, connections per instance: ${CONNECTIONS}, requests per run: ${REQUESTS}, rounds: ${ROUNDS}, mix: ${MIX}\n`);
    const rps1 = mean(one, (l) => l.rps);
    const rps3 = mean(many, (l) => l.rps);
    return {
      rps_1: Math.round(rps1),
      rps_3: Math.round(rps3),
      ratio: Math.round((rps3 / rps1) * 100) / 100,
      p99_ms_1: Math.max(...one.map((l) => l.p99)),
      p99_ms_3: Math.max(...many.map((l) => l.p99)),
      cpu_ms_per_req_1: perRequest(one, (c) => c.cpuMs),
      cpu_ms_per_req_3: perRequest(many, (c) => c.cpuMs),
      syscalls_per_req_1: perRequest(one, (c) => c.syscalls),
      syscalls_per_req_3: perRequest(many, (c) => c.syscalls),
      waits_per_req_1: perRequest(one, (c) => c.waits),
      waits_per_req_3: perRequest(many, (c) => c.waits),
      preemptions_per_req_1: perRequest(one, (c) => c.preemptions),
      preemptions_per_req_3: perRequest(many, (c) => c.preemptions),
      failed: [...one, ...many].reduce((sum, l) => sum + l.failed, 0),
      instances: cluster.instances.length,
    };
  } finally {
    await cluster.stop();
  }
}
