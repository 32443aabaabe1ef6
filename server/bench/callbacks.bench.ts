import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { AddressInfo } from 'node:net';
import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import Koa from 'koa';
import { parseEnvelope, parseWecomEvent, parseXml } from '@scrm/wecom-adapter';
import { Op } from 'sequelize';
import { startTestServer } from '../src/testing/test-server';
import { waitUntil } from '../src/testing/wait-until';
import { startBenchWorker } from './bench-worker';
import { cryptoFor, externalContactXml, sealedCallback, testWecomEnv } from '../src/testing/wecom-test-callbacks';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 8000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const ROUNDS = 2;
/**
 * Where stored callbacks are processed. On MySQL/MariaDB by default as deployed (docker/compose.yaml):
 * servers only answer, a separate `npm run worker` process runs the jobs. Embedded: in the server's
 * own process. `BENCH_WORKER=inline|process` chooses; `BENCH_NO_WORKER=1` leaves them unprocessed.
 */
const WORKER = process.env.BENCH_NO_WORKER ? 'none' : ((process.env.BENCH_WORKER ?? (process.env.DB_URL?.startsWith('mysql') ? 'process' : 'inline')) as 'inline' | 'process');
if (!['inline', 'process', 'none'].includes(WORKER)) throw new Error(`BENCH_WORKER must be inline or process, not ${WORKER}`);
const PROCESSING_TIMEOUT_MS = 300_000;
const run = promisify(execFile);

interface Drive {
  rps: number;
  p99: number;
  acknowledged: number;
  /** Server CPU (user + system) spent per request, in microseconds. */
  cpuPerRequestUs: number;
}

/** Sends every prepared request once over `CONNECTIONS` keep-alive connections, from a separate process. */
async function drive(url: string, requests: Array<{ path: string; body: string }>): Promise<Drive> {
  const dir = mkdtempSync(join(tmpdir(), 'scrm-bench-'));
  const file = join(dir, 'requests.json');
  writeFileSync(file, JSON.stringify({ url, connections: CONNECTIONS, requests }));
  try {
    const cpuBefore = process.cpuUsage();
    const { stdout } = await run(process.execPath, ['--import', 'tsx', join(__dirname, 'drive-load.ts'), file], { maxBuffer: 1 << 20 });
    const cpu = process.cpuUsage(cpuBefore);
    const result = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Omit<Drive, 'cpuPerRequestUs'>;
    return { ...result, cpuPerRequestUs: (cpu.user + cpu.system) / Math.max(1, result.acknowledged) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The floor: a bare Koa handler that only verifies, decrypts and parses. */
async function startFloor(crypto: ReturnType<typeof cryptoFor>) {
  const app = new Koa();
  const router = new Router();
  router.post('/wecom/callback', async (ctx) => {
    const query = ctx.query as Record<string, string>;
    const { encrypt } = await parseEnvelope((ctx.request as { rawBody: string }).rawBody);
    const plaintext = crypto.open({ msgSignature: query.msg_signature ?? '', timestamp: query.timestamp ?? '', nonce: query.nonce ?? '' }, encrypt);
    parseWecomEvent(await parseXml(plaintext));
    ctx.body = '';
  });
  app.use(bodyParser({ enableTypes: ['xml', 'text'], xmlLimit: '64kb' }));
  app.use(router.routes());
  const server = app.listen(0, '127.0.0.1');
  await new Promise((ready) => server.once('listening', ready));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((done) => server.close(done)) };
}

/**
 * Callback ingestion against its floor, with identical encrypted payloads: (a) verify + decrypt +
 * parse only, (b) our endpoint, which also stores each event durably (configured DB_URL / REDIS_URL)
 * and queues its processing. `lost` counts events answered 200 but not stored.
 */
export async function benchCallbacks() {
  const wecomEnv = testWecomEnv('ww_bench_corp');
  const crypto = cryptoFor(wecomEnv);
  const rounds = Array.from({ length: ROUNDS }, (_, round) =>
    Array.from({ length: EVENTS }, (_, i) =>
      sealedCallback(crypto, wecomEnv.WECOM_CORP_ID, externalContactXml(wecomEnv.WECOM_CORP_ID, { changeType: 'add_external_contact', userId: 'zhangsan', externalUserId: `wm_${round}_${i}`, createTime: 1700000000 + round })),
    ),
  );

  const floor = await startFloor(crypto);
  // The real server on a fresh database of the configured kind (DB_URL), with REDIS_URL when set.
  const real = await startTestServer({
    env: {
      ...wecomEnv,
      SEED_DEMO: 'false',
      SCHEDULER_ENABLED: 'false',
      JOB_POLL_MS: '1000',
      ...(WORKER !== 'inline' && { JOB_WORKER_ENABLED: 'false' }),
    },
  });
  const worker = WORKER === 'process' ? await startBenchWorker(real.env) : null;
  try {
    await drive(floor.url, rounds[0]!.slice(0, 200));
    const floorRuns: Drive[] = [];
    const realRuns: Drive[] = [];
    const { WecomCallback } = real.running.services.models;
    // Every stored event must end processed (exactly once: processing marks the row in its transaction).
    // Waiting for it after each round also keeps one round's processing out of the next floor run.
    const processingDone = () => (WORKER === 'none' ? Promise.resolve() : waitUntil(async () => (await WecomCallback.count({ where: { processed_at: null } })) === 0, PROCESSING_TIMEOUT_MS, 250));
    let workerCpuUs = 0;
    let processingMs = 0;
    for (const requests of rounds) {
      floorRuns.push(await drive(floor.url, requests));
      const workerBefore = worker?.cpuUs() ?? 0;
      realRuns.push(await drive(real.baseUrl, requests));
      const drainStarted = Date.now();
      await processingDone();
      processingMs = Math.max(processingMs, Date.now() - drainStarted);
      workerCpuUs += (worker?.cpuUs() ?? 0) - workerBefore;
    }
    const acknowledged = realRuns.reduce((sum, run) => sum + run.acknowledged, 0);
    const stored = await WecomCallback.count();
    const processed = await WecomCallback.count({ where: { processed_at: { [Op.ne]: null } } });
    const mean = (runs: Drive[], pick: (run: Drive) => number) => runs.reduce((sum, run) => sum + pick(run), 0) / runs.length;
    const floorRps = mean(floorRuns, (r) => r.rps);
    const rps = mean(realRuns, (r) => r.rps);
    process.stderr.write(`database: ${real.database.url.split(':')[0]}, events per round: ${EVENTS}, connections: ${CONNECTIONS}, rounds: ${ROUNDS}, processing: ${WORKER}\n`);
    return {
      floor_rps: Math.round(floorRps),
      rps: Math.round(rps),
      ratio: Math.round((rps / floorRps) * 100) / 100,
      p99_ms: Math.max(...realRuns.map((r) => r.p99)),
      lost: Math.max(0, acknowledged - stored),
      processed,
      /** The longest a round's processing ran on after its last request was answered. */
      processed_after_s: Math.round(processingMs / 100) / 10,
      floor_cpu_us_per_req: Math.round(mean(floorRuns, (r) => r.cpuPerRequestUs)),
      cpu_us_per_req: Math.round(mean(realRuns, (r) => r.cpuPerRequestUs)),
      ...(worker && { worker_cpu_us_per_req: Math.round(workerCpuUs / Math.max(1, acknowledged)) }),
    };
  } finally {
    await worker?.stop();
    await floor.close();
    await real.stop();
  }
}
