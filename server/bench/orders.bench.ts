import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Op } from 'sequelize';
import { DouyinSimulator } from '../../plugins/douyin/src/simulator/douyin-simulator';
import { startTestServer } from '../src/testing/test-server';
import { waitUntil } from '../src/testing/wait-until';

const ORDERS = Number(process.env.BENCH_ORDERS ?? 5000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
/**
 * `after` (default): deliveries are processed once the load is over; `inline`: by the server's job
 * worker while the load runs; `none`: not at all (intake alone, e.g. to profile it).
 */
const PROCESSING = (['inline', 'none'] as const).find((mode) => mode === process.env.BENCH_PROCESSING) ?? 'after';
const PROCESSING_TIMEOUT_MS = 600_000;
const run = promisify(execFile);
const credentials = { appKey: 'bench_app_key', appSecret: 'bench_app_secret_0123456789' };

/**
 * Sustained order intake through the Douyin connector over HTTP, on the configured database
 * (DB_URL / REDIS_URL): each request is a signed 抖店 push of a paid order; the connector verifies
 * it and stores the delivery in the order inbox before answering. Processing (order detail from the
 * simulator, common order, customer, timeline, audit, outbox, rules) runs from jobs: after the load
 * (default) or alongside it (BENCH_PROCESSING=inline). `lost` counts pushes answered 200 whose
 * delivery was not stored; `processed` the deliveries taken in, `orders` the orders stored.
 */
export async function benchOrders() {
  const sim = await new DouyinSimulator({ ...credentials, shopId: '100001', seed: 99 }).start();
  const server = await startTestServer({ env: { JOB_WORKER_ENABLED: PROCESSING === 'inline' ? 'true' : 'false', SEED_DEMO: 'false', DB_POOL_MAX: String(CONNECTIONS + 8) } });
  const dir = mkdtempSync(join(tmpdir(), 'scrm-orders-bench-'));
  try {
    const admin = await server.login('admin');
    await server.api('PUT', '/api/system/plugins/douyin/settings', { token: admin, body: { settings: { ...credentials, accessToken: 'bench', apiBase: sim.apiBase, categoryMap: { '20001': 'air_conditioner' } } } });
    const enabled = await server.api('POST', '/api/system/plugins/douyin/enable', { token: admin });
    if (enabled.status !== 200) throw new Error(`enable douyin: ${JSON.stringify(enabled.body)}`);
    const requests = Array.from({ length: ORDERS }, () => {
      const id = sim.placeOrder({ product: 0 });
      sim.set(id, 'paid');
      const { rawBody, headers } = sim.pushRequest('paid', id);
      return { path: '/api/plugins/douyin/push', body: rawBody, headers };
    });
    const file = join(dir, 'requests.json');
    writeFileSync(file, JSON.stringify({ url: server.baseUrl, connections: CONNECTIONS, requests }));
    const cpuBefore = process.cpuUsage();
    const { stdout } = await run(process.execPath, ['--import', 'tsx', join(__dirname, 'drive-load.ts'), file], { maxBuffer: 1 << 20 });
    const cpu = process.cpuUsage(cpuBefore);
    const load = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as { rps: number; p99: number; acknowledged: number; non2xx: number; errors: number };
    const { models, queue } = server.running.services;
    const stored = await models.OrderInbox.count({ where: { platform: 'douyin' } });

    const drainStarted = Date.now();
    if (PROCESSING === 'after') queue.start();
    const processedCount = () => models.OrderInbox.count({ where: { platform: 'douyin', processed_at: { [Op.ne]: null } } });
    if (PROCESSING !== 'none') await waitUntil(async () => (await processedCount()) >= stored, PROCESSING_TIMEOUT_MS, 250).catch((error: unknown) => process.stderr.write(`processing did not finish: ${String(error)}\n`));
    const processingMs = Date.now() - drainStarted;
    const processed = await processedCount();
    const orders = await models.Order.count({ where: { platform: 'douyin' } });
    process.stderr.write(`database: ${server.database.url.split(':')[0]}, orders: ${ORDERS}, connections: ${CONNECTIONS}, processing: ${PROCESSING}\n`);
    return {
      orders_per_s: Math.round(load.rps),
      p99_ms: load.p99,
      lost: Math.max(0, load.acknowledged - stored),
      acknowledged: load.acknowledged,
      refused: load.non2xx + load.errors,
      processed,
      orders,
      /** How long processing ran on after the last push was answered. */
      processed_after_s: Math.round(processingMs / 100) / 10,
      processing: PROCESSING,
      /** Server CPU (user + system) per answered push while the load ran, in microseconds. */
      cpu_us_per_req: Math.round((cpu.user + cpu.system) / Math.max(1, load.acknowledged)),
      connections: CONNECTIONS,
      db: server.database.url.split(':')[0],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await server.stop();
    await sim.stop();
  }
}
