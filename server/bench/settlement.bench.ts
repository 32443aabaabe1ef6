import { performance } from 'node:perf_hooks';
import { createServices, prepareDatabase, type Services } from '../src/app';
import { loadConfig } from '../src/config/load-config';
import type { Actor } from '../src/modules/access/actor';
import { allPermissions } from '../src/modules/access/permissions';
import { createJobPricer } from '../src/modules/settlement/engine';
import { keysOfWritten } from '../src/modules/settlement/settlement-line-keys';
import { lineInsertStatements, priceJobLines, rowOf, type LineInsert } from '../src/modules/settlement/settlement-line-rows';
import { createPayeeResolver } from '../src/modules/settlement/settlement-payees';
import type { JobFacts, RuleSetDefinition } from '../src/modules/settlement/settlement-rules';
import { loadVersionCatalogue } from '../src/modules/settlement/settlement-versions';

const JOBS = Number(process.env.BENCH_SETTLEMENT_JOBS ?? 1_000_000);
const PERIOD = '2020-01';
const SOURCES = ['douyin', 'pinduoduo', 'store', 'taobao', 'jd'];
const ITEMS = ['ac_install', 'ac_repair', 'lock_install', 'tv_mount'];

/** About ten rules: a rate card, a surcharge, a bonus, a deduction, a subsidy, per-unit + per-hour, a split and a tiered rebate. */
const technicianRules: RuleSetDefinition = {
  rules: [
    { key: 'base_fee', name: '基础费', kind: 'base_fee', rounding: 'HALF_UP', rateCard: ITEMS.map((serviceItem, i) => ({ serviceItem, amountFen: 10000 + i * 5000 })) },
    { key: 'good_rating', name: '好评', kind: 'bonus', rounding: 'HALF_UP', condition: { all: [{ fact: 'rating', operator: 'greaterThanInclusive', value: 4 }] }, amount: { fixedFen: 2000 } },
    { key: 'complaint', name: '投诉', kind: 'deduction', rounding: 'HALF_UP', condition: { all: [{ fact: 'complaints', operator: 'greaterThanInclusive', value: 1 }] }, amount: { fixedFen: 3000 } },
    { key: 'labour', name: '工时与配件', kind: 'bonus', rounding: 'HALF_UP', amount: { perUnitFen: 500, unitFact: 'serviceItems.ac_install', perHourFen: 3333 } },
  ],
};
/** Its own rule set, so that a new version re-prices only the jobs it applies to (about one in seven). */
const altitudeRules = (fixedFen: number): RuleSetDefinition => ({
  rules: [{ key: 'high_altitude', name: '高空作业', kind: 'surcharge', rounding: 'HALF_UP', condition: { all: [{ fact: 'form', path: '$.acceptance.high_altitude', operator: 'equal', value: true }] }, amount: { fixedFen } }],
});
const dealerRules: RuleSetDefinition = {
  rules: [
    { key: 'recycling', name: '旧机回收', kind: 'subsidy', rounding: 'HALF_UP', amount: { perUnitFen: 1000, unitFact: 'recycledUnits' } },
    { key: 'volume_rebate', name: '阶梯返点', kind: 'tiered_rebate', rounding: 'HALF_UP', basis: 'amount', mode: 'graduated', inclusive: 'lower', tiers: [{ from: 0, to: 100_000_000, rateBp: 200 }, { from: 100_000_000, rateBp: 300 }] },
  ],
};
const splitRules: RuleSetDefinition = {
  rules: [
    {
      key: 'channel_split',
      name: '渠道分账',
      kind: 'split',
      rounding: 'HALF_UP',
      channels: { douyin: [{ payee: 'company', weight: 30 }, { payee: 'store', weight: 50 }, { payee: 'dealer', weight: 20 }] },
      defaultShares: [{ payee: 'company', weight: 20 }, { payee: 'store', weight: 80 }],
    },
  ],
};

/** A bench job's facts: every value cycles with its number, so runs are reproducible. */
function benchFacts(n: number, id: number, store: { id: number; code: string; region_id: number | null }, techUserId: number): JobFacts {
  const day = String((n % 28) + 1).padStart(2, '0');
  return {
    order: { id, orderNo: `B${id}`, amountFen: 50000 + (n % 97) * 1000, priority: 'normal', flowCode: 'installation', productCategories: ['air_conditioner'] },
    workOrder: { completedAt: `${PERIOD}-${day}T04:00:00.000Z`, completedOn: `${PERIOD}-${day}`, breaches: 0, nodeCount: 1 },
    form: { acceptance: { high_altitude: n % 7 === 0, rating: (n % 5) + 1, recycled_units: n % 4 } },
    customer: { id: null, tags: [], stage: null },
    store: { id: Number(store.id), code: store.code },
    region: { id: Number(store.region_id), code: null, tier: null },
    source: SOURCES[n % SOURCES.length] as string,
    rating: (n % 5) + 1,
    serviceItems: [{ code: ITEMS[n % ITEMS.length] as string, name: '服务', quantity: (n % 2) + 1 }],
    complaints: n % 17 === 0 ? 1 : 0,
    lateMinutes: 0,
    recycledUnits: n % 4,
    hours: String((n % 6) * 0.5),
    payees: { technicianUserId: techUserId, storeId: Number(store.id), regionId: Number(store.region_id) },
  };
}

/** Runs `statements` with up to `parallel` in flight (one at a time on SQLite); on MariaDB without the unique and foreign key checks the seeded rows do not need. */
async function runAll(db: Services['db'], statements: string[], parallel: number): Promise<void> {
  const queue = [...statements];
  const run = async (sql: string) => {
    if (db.dialect === 'sqlite') return db.exclusive(() => db.sequelize.query(sql));
    return db.transaction(async (transaction) => {
      await db.sequelize.query('SET unique_checks = 0, foreign_key_checks = 0', { transaction });
      await db.sequelize.query(sql, { transaction });
      await db.sequelize.query('SET unique_checks = 1, foreign_key_checks = 1', { transaction });
    });
  };
  const lanes = Array.from({ length: db.dialect === 'sqlite' ? 1 : parallel }, async () => {
    for (let sql = queue.shift(); sql !== undefined; sql = queue.shift()) await run(sql);
  });
  await Promise.all(lanes);
}

/**
 * Closing one period of BENCH_SETTLEMENT_JOBS finished jobs with about ten rules on the configured
 * database (DB_URL). Seeding models real life and is timed apart: every job is completed and priced
 * (provisional lines and their digest, built in bulk with the pricing code). Then one rule change is
 * published (the high-altitude surcharge, from the period's first day: about one job in seven), the
 * period is closed (re-pricing every job, rewriting those whose lines changed), and recomputed from
 * scratch (the verification): seconds of each, the jobs rewritten, and whether the hashes match.
 */
export async function benchSettlement() {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const config = loadConfig({ ...process.env, SEED_DEMO: 'true', SCHEDULER_ENABLED: 'false', JOB_WORKER_ENABLED: 'false', WECOM_SANDBOX: 'off', LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
  const services = createServices(config);
  try {
    await prepareDatabase(services);
    const { db, models, settlement } = services;
    const admin = await models.User.findOne({ where: { username: 'admin' }, raw: true });
    const stores = await models.Store.findAll({ raw: true });
    const techs = await models.User.findAll({ raw: true });
    const flow = await models.FlowVersion.findOne({ raw: true });
    if (!admin || !flow || !stores.length) throw new Error('the organisation is not seeded');
    const actor: Actor = { userId: Number(admin.id), username: 'admin', displayName: 'bench', roleId: Number(admin.role_id), roleCode: 'admin', permissions: new Set(allPermissions), dataScope: 'all', regionId: null, storeId: null, storeIds: null, sessionId: 'bench' };
    // Only the bench's rules: the demo's settlement data goes first (this database is the bench's own).
    for (const table of ['settlement_statements', 'settlement_lines', 'settlement_jobs', 'settlement_periods', 'settlement_rule_set_versions', 'settlement_rule_sets']) await db.sequelize.query(`DELETE FROM ${table}`);
    const publish = async (code: string, payeeKind: 'technician' | 'dealer' | 'store', definition: RuleSetDefinition) => {
      const found = await models.RuleSet.findOne({ where: { code }, raw: true });
      const set = found ? await settlement.ruleSets.detail(Number(found.id)) : await settlement.ruleSets.create(actor, { code, name: code, payeeKind });
      await settlement.ruleSets.saveDraft(actor, set.id, { definition, draftVersion: set.draftVersion });
      await settlement.ruleSets.publish(actor, set.id, `${PERIOD}-01`);
    };
    await publish('bench_tech', 'technician', technicianRules);
    await publish('bench_altitude', 'technician', altitudeRules(5000));
    await publish('bench_dealer', 'dealer', dealerRules);
    await publish('bench_split', 'store', splitRules);
    for (const region of await models.Region.findAll({ raw: true })) {
      if (!(await models.Payee.findOne({ where: { kind: 'dealer', region_id: region.id } }))) await settlement.payees.create(actor, { kind: 'dealer', name: `${region.name}经销商`, regionId: Number(region.id) });
    }
    const period = await db.transaction((tx) => settlement.periods.ensure(PERIOD, tx));
    const periodId = Number(period.id);

    const seedStart = performance.now();
    const maxId = async (table: string) => Number(((await db.sequelize.query(`SELECT MAX(id) AS id FROM ${table}`))[0] as Array<{ id: number | null }>)[0]?.id ?? 0);
    const firstOrder = (await maxId('work_orders')) + 1;
    // Lines get their ids here, so that each job row records its lines' keys as pricing does.
    let nextLineId = (await maxId('settlement_lines')) + 1;
    const escape = (v: unknown) => db.sequelize.escape(v as string);
    const now = new Date();
    const nowSql = escape(now);
    const pricing = { pricer: createJobPricer(), resolver: createPayeeResolver(models), catalogue: await loadVersionCatalogue(db) };
    let seededLines = 0;
    for (let start = 0; start < JOBS; start += 5000) {
      const count = Math.min(5000, JOBS - start);
      const orders: string[] = [];
      const jobs: string[] = [];
      const lines: Array<LineInsert & { id: number }> = [];
      for (let i = 0; i < count; i += 1) {
        const n = start + i;
        const id = firstOrder + n;
        const store = stores[n % stores.length] as (typeof stores)[number];
        const facts = benchFacts(n, id, store, Number((techs[n % techs.length] as (typeof techs)[number]).id));
        const job = { work_order_id: id, completed_on: facts.workOrder.completedOn };
        const priced = await priceJobLines(pricing, job, facts);
        const ids = priced.lines.map(() => nextLineId++);
        priced.lines.forEach((line, l) => lines.push({ ...rowOf(line, { periodId, completedOn: job.completed_on, createdAt: now }), id: ids[l] as number }));
        orders.push(`(${id}, 'B${id}', ${flow.flow_id}, ${flow.id}, 'done', ${store.id}, 'console', 'normal', ${facts.order.amountFen}, 0, ${nowSql}, ${nowSql})`);
        jobs.push(`(${id}, ${periodId}, ${escape(new Date(facts.workOrder.completedAt))}, '${job.completed_on}', ${escape(JSON.stringify(facts))}, '${priced.digest}', '${keysOfWritten(ids, priced.lines.map((l) => l.text))}', ${nowSql}, ${nowSql})`);
      }
      seededLines += lines.length;
      await db.sequelize.query(`INSERT INTO work_orders (id, order_no, flow_id, flow_version_id, status, store_id, source_channel, priority, amount_fen, lock_version, created_at, updated_at) VALUES ${orders.join(', ')}`);
      await runAll(db, [`INSERT INTO settlement_jobs (work_order_id, period_id, completed_at, completed_on, facts, lines_digest, line_keys, created_at, updated_at) VALUES ${jobs.join(', ')}`, ...lineInsertStatements(db, lines, 5000)], 4);
    }
    log(`seeded ${JOBS} priced jobs (${seededLines} provisional lines) in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);
    await publish('bench_altitude', 'technician', altitudeRules(6000));
    log('published bench_altitude v2 (high-altitude surcharge 50.00 → 60.00) from the period start');

    const closeStart = performance.now();
    await settlement.close.start(actor, periodId);
    const rewrite = await settlement.close.run(periodId);
    const seconds = (performance.now() - closeStart) / 1000;
    const closed = await models.Period.findByPk(periodId, { raw: true });
    log(`closed in ${seconds.toFixed(1)} s: ${rewrite?.rewrittenJobs} jobs rewritten (${rewrite?.deleted} lines deleted, ${rewrite?.inserted} inserted), hash ${closed?.lines_hash}`);
    log(`close breakdown (ms): ${JSON.stringify(rewrite?.ms)}`);
    const againStart = performance.now();
    const again = await settlement.close.verify(periodId);
    const secondsSecondRun = (performance.now() - againStart) / 1000;
    log(`recomputed in ${secondsSecondRun.toFixed(1)} s: ${again.lines} lines, hash ${again.recomputedHash}`);
    return { jobs: JOBS, seconds: Math.round(seconds * 10) / 10, seconds_second_run: Math.round(secondsSecondRun * 10) / 10, rewritten_jobs: rewrite?.rewrittenJobs ?? 0, hash_equal: again.equal && closed?.status === 'closed' };
  } finally {
    await services.db.close();
    await services.kv.close?.();
  }
}
