import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { QueryTypes } from 'sequelize';
import type { Database } from '../src/core/db/database';
import { startCluster, type Cluster } from '../src/scale/cluster';
import { cryptoFor, externalContactXml, sealedCallback, testWecomEnv } from '../src/testing/wecom-test-callbacks';
import { countersOf, pidsNamed, sumCounters, type ProcessCounters } from './process-counters';
import type { Load, LoadPlan, LoadRequest } from './scaleout-load';
import { driveWithWrk, wrkPath } from './scaleout-wrk';

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

/** A run with what each answered request cost: the instances' counters, and the CPU (ms) of this machine's database and Redis servers and of the load generator. */
interface Measured extends Load {
  perRequest: ProcessCounters;
  /** Statements the database server received per answered request (MySQL/MariaDB; null on SQLite). */
  statements: number | null;
  servicesCpuMs: number;
  loadCpuMs: number;
}

/** The database and Redis servers when they run on this machine (as in CI): they share its cores with the instances. */
const servicePids = () => pidsNamed(['mariadbd', 'mysqld', 'redis-server']);

/** Statements the MySQL/MariaDB server has received so far, from every client (null on SQLite). */
async function statementsSoFar(db: Database): Promise<number | null> {
  if (db.dialect !== 'mysql') return null;
  const [row] = await db.sequelize.query<{ Value: string }>("SHOW GLOBAL STATUS LIKE 'Questions'", { type: QueryTypes.SELECT });
  return Number(row?.Value);
}

/** wrk when installed, as it costs the shared cores least; else the Node.js generator. `BENCH_LOAD=node` picks the latter. */
const WRK = process.env.BENCH_LOAD === 'node' ? null : wrkPath();

/** Runs the load generator in its own process: every request once, over CONNECTIONS connections per URL. */
async function drive(urls: string[], requests: LoadRequest[]): Promise<Load> {
  const dir = mkdtempSync(join(tmpdir(), 'scrm-scaleout-'));
  const plan: LoadPlan = { urls, connections: CONNECTIONS, requests };
  try {
    if (WRK) return await driveWithWrk(WRK, plan, dir);
    const file = join(dir, 'plan.json');
    writeFileSync(file, JSON.stringify(plan));
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

async function measure(cluster: Cluster, urls: string[], requests: LoadRequest[]): Promise<Measured> {
  const instancesNow = () => sumCounters(cluster.instances.map((i) => countersOf(i.child.pid)));
  const servicesNow = () => sumCounters(servicePids().map(countersOf)).cpuMs;
  const statementsBefore = await statementsSoFar(cluster.db);
  const [before, servicesBefore] = [instancesNow(), servicesNow()];
  const load = await drive(urls, requests);
  const [after, servicesAfter] = [instancesNow(), servicesNow()];
  const statementsAfter = await statementsSoFar(cluster.db);
  const answered = Math.max(1, load.ok);
  const per = (pick: (c: ProcessCounters) => number) => (pick(after) - pick(before)) / answered;
  const perRequest = { cpuMs: per((c) => c.cpuMs), syscalls: per((c) => c.syscalls), waits: per((c) => c.waits), preemptions: per((c) => c.preemptions) };
  const servicesCpuMs = (servicesAfter - servicesBefore) / answered;
  const loadCpuMs = load.cpuMs / answered;
  const statements = statementsBefore === null || statementsAfter === null ? null : (statementsAfter - statementsBefore) / answered;
  process.stderr.write(
    `${urls.length} instance(s): ${Math.round(load.rps)} rps, p99 ${load.p99} ms, ${load.ok} ok, ${load.failed} failed; per request ${perRequest.cpuMs.toFixed(2)} ms CPU, ${perRequest.syscalls.toFixed(2)} read/write calls, ${perRequest.waits.toFixed(2)} waits, ${perRequest.preemptions.toFixed(2)} preemptions; ${((perRequest.cpuMs * load.rps) / 1000).toFixed(2)} cores busy; database + Redis ${servicesCpuMs.toFixed(2)} ms, load generator ${loadCpuMs.toFixed(2)} ms CPU per request${statements === null ? '' : `; ${statements.toFixed(2)} statements per request`}\n`,
  );
  return { ...load, perRequest, servicesCpuMs, loadCpuMs, statements };
}

const mean = (loads: Measured[], pick: (load: Measured) => number) => loads.reduce((total, load) => total + pick(load), 0) / loads.length;
const round2 = (value: number) => Math.round(value * 100) / 100;
const perRequest = (loads: Measured[], pick: (counters: ProcessCounters) => number) => round2(mean(loads, (l) => pick(l.perRequest)));

/**
 * The ratio the instances could reach on this machine if sharing its cores cost nothing: each
 * request still needs the CPU one instance spends on it, plus the database's, Redis's and the load
 * generator's, and the cores (or the instances, if fewer) bound how much of that runs at once.
 */
function ceilingOf(one: Measured[], instances: number): number {
  const instanceMs = mean(one, (l) => l.perRequest.cpuMs);
  const allMs = instanceMs + mean(one, (l) => l.servicesCpuMs + l.loadCpuMs);
  if (!instanceMs) return 0;
  const bestRps = Math.min(instances * (1000 / instanceMs), (availableParallelism() * 1000) / allMs);
  return round2(bestRps / mean(one, (l) => l.rps));
}

/**
 * Callback + API throughput against one `npm run serve` instance, against two, and against INSTANCES
 * instances, all started together on one database and Redis (configured DB_URL / REDIS_URL) and
 * warmed up; they are measured in turn, ROUNDS times, so that drift on a shared machine hits all alike.
 * The instances only ingest and answer: job workers and the scheduler are off, so the figure is the
 * request path's, not background processing's. Beside the ratio it reports the CPU each request costs
 * the instances, the database and Redis, and the load generator, and from those the ceiling the
 * ratio could reach on this machine if sharing its cores cost nothing.
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
    const one: Measured[] = [];
    const two: Measured[] = [];
    const many: Measured[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      one.push(await measure(cluster, all.slice(0, 1), requestMix(wecomEnv, token, `one${round}`)));
      if (all.length > 2) two.push(await measure(cluster, all.slice(0, 2), requestMix(wecomEnv, token, `two${round}`)));
      many.push(await measure(cluster, all, requestMix(wecomEnv, token, `many${round}`)));
    }
    process.stderr.write(`database: ${cluster.database.url.split(':')[0]}, redis: ${cluster.env.REDIS_URL ? 'yes' : 'no'}, load generator: ${WRK ? 'wrk' : 'node'}, connections per instance: ${CONNECTIONS}, requests per run: ${REQUESTS}, rounds: ${ROUNDS}, mix: ${MIX}\n`);
    const rps1 = mean(one, (l) => l.rps);
    const rps3 = mean(many, (l) => l.rps);
    const rps2 = two.length ? mean(two, (l) => l.rps) : null;
    return {
      rps_1: Math.round(rps1),
      rps_3: Math.round(rps3),
      ratio: round2(rps3 / rps1),
      ...(rps2 !== null && { rps_2: Math.round(rps2), ratio_2: round2(rps2 / rps1), cpu_ms_per_req_2: perRequest(two, (c) => c.cpuMs) }),
      p99_ms_1: Math.max(...one.map((l) => l.p99)),
      p99_ms_3: Math.max(...many.map((l) => l.p99)),
      cpu_ms_per_req_1: perRequest(one, (c) => c.cpuMs),
      cpu_ms_per_req_3: perRequest(many, (c) => c.cpuMs),
      ...(one.every((l) => l.statements !== null) && { statements_per_req_1: round2(mean(one, (l) => l.statements ?? 0)), statements_per_req_3: round2(mean(many, (l) => l.statements ?? 0)) }),
      syscalls_per_req_1: perRequest(one, (c) => c.syscalls),
      syscalls_per_req_3: perRequest(many, (c) => c.syscalls),
      waits_per_req_1: perRequest(one, (c) => c.waits),
      waits_per_req_3: perRequest(many, (c) => c.waits),
      preemptions_per_req_1: perRequest(one, (c) => c.preemptions),
      preemptions_per_req_3: perRequest(many, (c) => c.preemptions),
      services_cpu_ms_per_req_1: round2(mean(one, (l) => l.servicesCpuMs)),
      services_cpu_ms_per_req_3: round2(mean(many, (l) => l.servicesCpuMs)),
      load_cpu_ms_per_req_1: round2(mean(one, (l) => l.loadCpuMs)),
      load_cpu_ms_per_req_3: round2(mean(many, (l) => l.loadCpuMs)),
      ceiling: ceilingOf(one, cluster.instances.length),
      cores: availableParallelism(),
      failed: [...one, ...two, ...many].reduce((sum, l) => sum + l.failed, 0),
      load_generator: WRK ? 'wrk' : 'node',
      instances: cluster.instances.length,
    };
  } finally {
    await cluster.stop();
  }
}
