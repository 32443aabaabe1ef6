import { performance } from 'node:perf_hooks';
import { createServices, prepareDatabase } from '../src/app';
import { loadConfig } from '../src/config/load-config';
import type { Actor } from '../src/modules/access/actor';
import { benchPhone, benchStages, seedBenchCustomers } from './customers-seed';

const COUNT = Number(process.env.BENCH_CUSTOMERS ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 200);
const PAGE_SIZE = 20;

const p95 = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return Math.round((sorted[Math.max(0, Math.ceil(sorted.length * 0.95) - 1)] ?? 0) * 10) / 10;
};

/**
 * The customer list on the configured database (DB_URL) with BENCH_CUSTOMERS customers (default
 * 1,000,000; seeded once, then reused): p95 of filtered, paged lists (tag + store + stage) on page 1
 * and on a deep page (90% into the result), and of exact phone lookups, each through the customer
 * service exactly as GET /api/customers runs it (scope, filters, count, tags, follow users, masking).
 */
export async function benchCustomers() {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const config = loadConfig({ ...process.env, SEED_DEMO: 'false', SCHEDULER_ENABLED: 'false', JOB_WORKER_ENABLED: 'false', WECOM_SANDBOX: 'off', LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
  const services = createServices(config);
  try {
    await prepareDatabase(services);
    const seeded = await seedBenchCustomers(services, COUNT, log);
    const admin = await services.models.User.findOne({ where: { username: 'admin' }, attributes: ['id'], raw: true });
    const actor = (permissions: string[], storeId: number | null): Actor => ({
      userId: Number(admin?.id),
      username: 'bench',
      displayName: 'bench',
      roleId: 0,
      roleCode: storeId ? 'store_staff' : 'admin',
      permissions: new Set(['customer:read', ...permissions]),
      dataScope: storeId ? 'store' : 'all',
      regionId: null,
      storeId,
      storeIds: storeId ? [storeId] : null,
      sessionId: 'bench',
    });
    const random = (n: number) => Math.floor(Math.random() * n);
    // The popular tags (the ones people filter by), the stages most customers are in.
    const filterFor = () => {
      const storeId = seeded.storeIds[random(seeded.storeIds.length)] as number;
      return { storeId, stage: [benchStages[random(4)]?.[0] as string], tagIds: [seeded.tagIds[random(8)] as number] };
    };
    const time = async (work: () => Promise<unknown>) => {
      const started = performance.now();
      await work();
      return performance.now() - started;
    };

    const firstPage: number[] = [];
    const deepPage: number[] = [];
    const phone: number[] = [];
    const deepOffsets: number[] = [];
    for (let round = -20; round < ROUNDS; round += 1) {
      const filter = filterFor();
      // Half as store staff (the store is their scope), half as an admin filtering by store.
      const who = round % 2 ? actor([], filter.storeId) : actor([], null);
      let total = 0;
      const first = await time(async () => {
        total = (await services.customers.list(who, filter, { page: 1, pageSize: PAGE_SIZE })).total;
      });
      const page = Math.max(1, Math.floor((total * 0.9) / PAGE_SIZE));
      const deep = await time(() => services.customers.list(who, filter, { page, pageSize: PAGE_SIZE }));
      const n = random(seeded.count);
      const lookup = await time(() => services.customers.list(actor(['customer:pii:read'], null), { phone: benchPhone(n) }, { page: 1, pageSize: PAGE_SIZE }));
      if (round < 0) continue;
      firstPage.push(first);
      deepPage.push(deep);
      phone.push(lookup);
      deepOffsets.push((page - 1) * PAGE_SIZE);
    }
    const check = await services.customers.list(actor(['customer:pii:read'], null), { phone: benchPhone(1) }, { page: 1, pageSize: 1 });
    if (check.total !== 1) log('warning: a phone lookup did not find its customer (APP_SECRET changed since seeding?)');
    log(`database: ${services.db.dialect}, customers: ${seeded.count}, rounds: ${ROUNDS}, mean deep offset: ${Math.round(deepOffsets.reduce((a, b) => a + b, 0) / deepOffsets.length)}`);
    return { p95_ms: p95(firstPage), deep_page_p95_ms: p95(deepPage), phone_p95_ms: p95(phone), customers: seeded.count };
  } finally {
    await services.db.close();
    await services.kv.close();
  }
}
