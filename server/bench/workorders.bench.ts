import { randomBytes } from 'node:crypto';
import { Op } from 'sequelize';
import { performance } from 'node:perf_hooks';
import { createServices, prepareDatabase } from '../src/app';
import { loadConfig } from '../src/config/load-config';
import type { Actor } from '../src/modules/access/actor';
import { allPermissions } from '../src/modules/access/permissions';
import type { FlowDefinition } from '../src/modules/workflows/flow-definition';
import { measureTimerScan } from './timer-scan';

const ORDERS = Number(process.env.BENCH_ORDERS ?? 1000);
const STEPS = Number(process.env.BENCH_STEPS ?? 5);
/** Enough workers to keep both the server's event loop and the database busy; more only wait in line (latency grows, throughput does not). */
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
/** `BENCH_SCAN=off` measures the transitions only. */
const SCAN = process.env.BENCH_SCAN !== 'off';

const percentile = (samples: number[], p: number) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return Math.round((sorted[Math.max(0, Math.ceil(sorted.length * p) - 1)] ?? 0) * 10) / 10;
};

/** A chain of STEPS form-free tasks assigned to one user, then the end. */
const chain = (userId: number): FlowDefinition => ({
  start: 's0',
  nodes: [
    ...Array.from({ length: STEPS }, (_, i) => ({
      key: `s${i}`,
      name: `步骤 ${i + 1}`,
      type: 'task' as const,
      assignee: { strategy: 'user' as const, userId },
      escalations: [],
      edges: [{ to: i + 1 < STEPS ? `s${i + 1}` : 'done', priority: 0, isDefault: true }],
    })),
    { key: 'done', name: '完成', type: 'end' as const, escalations: [], edges: [] },
  ],
});

/**
 * Work-order node transitions on the configured database (DB_URL): BENCH_ORDERS orders on a chain
 * of BENCH_STEPS form-free tasks, completed by BENCH_CONCURRENCY concurrent workers through the same
 * service `POST /api/work-orders/:id/complete` runs (scope, lock version, evidence check, edge
 * choice, history, audit); then the timer due-scan with 10,000 and 1,000,000 open timers.
 */
export async function benchWorkOrders() {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const config = loadConfig({ ...process.env, SEED_DEMO: 'true', SCHEDULER_ENABLED: 'false', JOB_WORKER_ENABLED: 'false', WECOM_SANDBOX: 'off', LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
  const services = createServices(config);
  try {
    await prepareDatabase(services);
    const { models, flows, workOrders } = services;
    const admin = await models.User.findOne({ where: { username: 'admin' }, raw: true });
    const store = await models.Store.findOne({ order: [['id', 'ASC']], raw: true });
    // The tasks go to another user, so the dispatcher completing them needs no acceptance step first.
    const technician = await models.User.findOne({ where: { username: { [Op.ne]: 'admin' }, status: 'active' }, order: [['id', 'ASC']], raw: true });
    if (!admin || !store || !technician) throw new Error('the organisation is not seeded');
    const actor: Actor = {
      userId: Number(admin.id),
      username: 'admin',
      displayName: 'bench',
      roleId: Number(admin.role_id),
      roleCode: 'admin',
      permissions: new Set(allPermissions),
      dataScope: 'all',
      regionId: null,
      storeId: null,
      storeIds: null,
      sessionId: 'bench',
    };
    const code = `bench_${randomBytes(3).toString('hex')}`;
    const flow = await flows.create({ code, name: code }, actor.userId);
    const draft = await flows.get(flow.id);
    await flows.saveDraft(flow.id, { definition: chain(Number(technician.id)), draftVersion: draft.draftVersion }, actor.userId);
    await flows.publish(flow.id, undefined, actor.userId);

    log(`creating ${ORDERS} orders on ${services.db.dialect} …`);
    const ids: number[] = [];
    for (let i = 0; i < ORDERS; i += CONCURRENCY) {
      const batch = await Promise.all(Array.from({ length: Math.min(CONCURRENCY, ORDERS - i) }, () => workOrders.service.create(actor, { flowCode: code, storeId: Number(store.id), products: [], serviceItems: [], sourceChannel: 'api', priority: 'normal', amountFen: 0 })));
      ids.push(...batch.map((o) => Number(o?.id)));
    }

    const pending = ids.map((id) => ({ id, lockVersion: 0, steps: 0, busy: false }));
    const latencies: number[] = [];
    let next = 0;
    const worker = async () => {
      for (;;) {
        const order = pending[next++ % pending.length];
        if (!order || latencies.length >= ORDERS * STEPS) return;
        if (order.steps >= STEPS || order.busy) {
          if (pending.every((o) => o.steps >= STEPS)) return;
          if (order.busy) await new Promise((resolve) => setImmediate(resolve));
          continue;
        }
        order.busy = true;
        const started = performance.now();
        const result = await workOrders.actions.complete(actor, order.id, { lockVersion: order.lockVersion, form: {}, parts: [] });
        latencies.push(performance.now() - started);
        order.lockVersion = result.lockVersion;
        order.steps += 1;
        order.busy = false;
      }
    };
    // Each order is handled by one worker at a time (`busy`), so every transition names the current lock version.
    const began = performance.now();
    const cpuBefore = process.cpuUsage();
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, pending.length) }, worker));
    const seconds = (performance.now() - began) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const done = await models.WorkOrder.count({ where: { id: ids, status: 'done' } });
    if (done !== ids.length) throw new Error(`${ids.length - done} orders did not reach the end`);
    log(`transitions: ${latencies.length} in ${seconds.toFixed(1)} s, p50 ${percentile(latencies, 0.5)} ms; this process: ${(cpuMs / latencies.length).toFixed(2)} ms CPU per transition, ${(cpuMs / 1000 / seconds).toFixed(2)} cores busy`);

    const transitions = { transitions_per_s: Math.round(latencies.length / seconds), p99_ms: percentile(latencies, 0.99) };
    if (!SCAN) return { ...transitions, orders: ORDERS, steps: STEPS, concurrency: CONCURRENCY, database: services.db.dialect };
    log('timer due-scan with 10,000 open timers …');
    const scan10k = await measureTimerScan(services, 10_000);
    log('timer due-scan with 1,000,000 open timers …');
    const scan1m = await measureTimerScan(services, 1_000_000);
    return {
      ...transitions,
      scan_ms_10k: scan10k.scanMs,
      scan_ms_1m: scan1m.scanMs,
      orders: ORDERS,
      steps: STEPS,
      concurrency: CONCURRENCY,
      database: services.db.dialect,
    };
  } finally {
    await services.db.close();
  }
}
