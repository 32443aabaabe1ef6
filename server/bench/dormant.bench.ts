import { createConnection } from 'mysql2/promise';
import { createServices, prepareDatabase, type Services } from '../src/app';
import { loadConfig } from '../src/config/load-config';
import { sqlInstant } from '../src/core/db/sql-instant';
import { createRuleFollowUps } from '../src/modules/engagement/rules/rule-follow-ups';
import { createRuleEvaluator } from '../src/modules/engagement/rules/rule-evaluator';

const COUNT = Number(process.env.BENCH_CUSTOMERS ?? 1_000_000);
const ROWS_PER_INSERT = 5000;
const DATABASE = 'scrm_bench_dormant';
const DAY_MS = 24 * 3600 * 1000;

/** The bench's own MariaDB database on DB_URL's server, created afresh and dropped afterwards. */
async function benchDatabase(baseUrl: string) {
  const server = new URL(baseUrl.replace(/^mariadb:/, 'mysql:'));
  const admin = async (sql: string) => {
    const connection = await createConnection({ host: server.hostname, port: Number(server.port || 3306), user: decodeURIComponent(server.username), password: decodeURIComponent(server.password) });
    try {
      await connection.query(sql);
    } finally {
      await connection.end();
    }
  };
  await admin(`DROP DATABASE IF EXISTS \`${DATABASE}\``);
  await admin(`CREATE DATABASE \`${DATABASE}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  server.pathname = `/${DATABASE}`;
  return { url: server.toString(), drop: () => admin(`DROP DATABASE IF EXISTS \`${DATABASE}\``) };
}

/**
 * Customers added 60–400 days ago; 25% ordered in the last 30 days, 15% only before: one multi-row
 * INSERT per 5,000 rows. Returns how many are dormant (no order in 30 days).
 */
async function seed(services: Services, count: number, log: (line: string) => void) {
  const { db } = services;
  const now = Date.now();
  const at = (ms: number) => `'${sqlInstant(db.dialect, new Date(ms))}'`;
  let dormant = 0;
  for (let from = 1; from <= count; from += ROWS_PER_INSERT) {
    const customers: string[] = [];
    const orders: string[] = [];
    for (let id = from; id < Math.min(count + 1, from + ROWS_PER_INSERT); id += 1) {
      const added = at(now - (60 + (id % 340)) * DAY_MS);
      customers.push(`(${id}, '客户${id}', 'new', 'active', 0, ${added}, ${added}, ${added})`);
      const roll = id % 20;
      if (roll < 5) orders.push(`('bench', 'o${id}', 's', 'paid', ${id}, '[]', 100, 100, 'bench', ${at(now - (id % 29) * DAY_MS)}, '[]', ${added}, ${added})`);
      else if (roll < 8) orders.push(`('bench', 'o${id}', 's', 'paid', ${id}, '[]', 100, 100, 'bench', ${at(now - (31 + (id % 20)) * DAY_MS)}, '[]', ${added}, ${added})`);
      if (roll >= 5) dormant += 1;
    }
    await db.sequelize.query(`INSERT INTO customers (id, name, stage, status, store_locked, added_at, created_at, updated_at) VALUES ${customers.join(', ')}`);
    if (orders.length) {
      await db.sequelize.query(`INSERT INTO orders (platform, platform_order_id, shop_id, status, customer_id, items, total_fen, paid_fen, source_channel, placed_at, work_order_ids, created_at, updated_at) VALUES ${orders.join(', ')}`);
    }
    if ((from - 1) % 200_000 === 0) log(`seeded ${from - 1}/${count}`);
  }
  await db.sequelize.query('ANALYZE TABLE customers, orders');
  return dormant;
}

/**
 * `npm run bench -- dormant`: a "no order for 30 days" rule (add a tag, change the stage, a timeline
 * entry each) evaluated over BENCH_CUSTOMERS customers (default 1,000,000) on DB_URL's MariaDB,
 * then run again (fires nobody: once per customer per period). Goal: the first run within 30 s.
 */
export async function benchDormant() {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  if (!process.env.DB_URL?.startsWith('mysql')) throw new Error('the dormant bench needs DB_URL=mysql://… (MariaDB)');
  const database = await benchDatabase(process.env.DB_URL);
  const config = loadConfig({ ...process.env, DB_URL: database.url, SEED_DEMO: 'false', SCHEDULER_ENABLED: 'false', JOB_WORKER_ENABLED: 'false', WECOM_SANDBOX: 'off', LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
  const services = createServices(config);
  try {
    await prepareDatabase(services);
    const seedStart = Date.now();
    const expected = await seed(services, COUNT, log);
    log(`seeded ${COUNT} customers in ${Math.round((Date.now() - seedStart) / 1000)} s; ${expected} dormant`);
    const { models, db, audit } = services;
    const group = await models.TagGroup.create({ name: '自动化' });
    const tag = await models.Tag.create({ group_id: Number(group.get('id')), name: '沉睡客户' });
    const body = { name: '沉睡唤醒', trigger: { type: 'no_order_days' as const, days: 30 }, conditions: {}, actions: [{ type: 'add_tags' as const, tagIds: [Number(tag.get('id'))] }, { type: 'change_stage' as const, stage: 'lost' }], period: 'month' as const };
    const row = await models.EngagementRule.create({ ...body, trigger_type: 'no_order_days', trigger_config: JSON.stringify({ days: 30 }), conditions: '{}', actions: JSON.stringify(body.actions), enabled: true });
    const rule = { ...body, id: Number(row.get('id')) };
    const evaluator = createRuleEvaluator({ db, models, audit, kv: services.kv, phone: services.pii.phone, followUps: createRuleFollowUps({ db, queue: services.queue }) });
    const actor = { id: null, name: 'bench' };

    let started = Date.now();
    const dry = await evaluator.dryRun(rule);
    const dryRunMs = Date.now() - started;
    const first = await evaluator.run(rule, new Date(), actor);
    started = Date.now();
    const second = await evaluator.run(rule, new Date(), actor);
    const secondMs = Date.now() - started;
    if (dry.count !== expected || first.fired !== expected || second.fired !== 0) throw new Error(`expected ${expected} dormant: dry run ${dry.count}, fired ${first.fired} then ${second.fired}`);
    return { customers: COUNT, dormant: first.fired, dry_run_ms: dryRunMs, run_ms: first.ms, rerun_ms: secondMs, goal_ms: 30_000 };
  } finally {
    await services.db.close();
    await services.kv.close();
    if (!process.env.BENCH_KEEP) await database.drop();
  }
}
