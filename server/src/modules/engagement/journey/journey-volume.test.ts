import { startTestServer, type TestServer } from '../../../testing/test-server';
import type { FunnelView } from './journey.schemas';

/** 100,000 customers on MySQL/MariaDB (the sizing the funnel is built for); fewer on the embedded SQLite. */
const CUSTOMERS = Number(process.env.JOURNEY_VOLUME_CUSTOMERS ?? (process.env.DB_URL?.startsWith('mysql') ? 100_000 : 10_000));
const CHUNK = 5_000;
const ID_BASE = 1_000_000;
const DAY_MS = 24 * 3600 * 1000;
/** 1 January 2025, 00:00 Asia/Shanghai: customers are added over the 90 days after it. */
const START = Date.parse('2025-01-01T00:00:00+08:00');

/**
 * Customer i: added on day i % 90; came through one of ten contact ways when i % 10 < 6; replied 2 h
 * after the add when i % 5 < 2; ordered a day after the add when i % 10 < 3 (so after a reply only
 * when i % 10 < 2), and again two days later when i % 20 < 2.
 */
// six of the ten ways bring customers (i % 10 < 6); the rest came through none
const plan = (i: number) => ({ added: START + (i % 90) * DAY_MS + (i % 20) * 3600_000, way: i % 10 < 6 ? i % 10 : null, replied: i % 5 < 2, orders: i % 10 < 3 ? (i % 20 < 2 ? 2 : 1) : 0 });

describe('customer journey funnel at volume', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ env: { JOB_WORKER_ENABLED: 'false' } });
    const { models, db } = server.running.services;
    const qi = db.sequelize.getQueryInterface();
    const stores = (await models.Store.findAll({ attributes: ['id'], order: [['id', 'ASC']], raw: true })).map((s) => Number(s.id));
    const ways = [];
    for (let w = 0; w < 10; w += 1) ways.push(Number((await models.ContactWay.create({ name: `渠道${w}`, state: `volume-${w}`, skip_verify: true, users: '[]', backup_users: '[]', schedule: '[]', current_users: '[]', tag_ids: '[]', store_id: null })).get('id')));
    const now = new Date();
    for (let from = 0; from < CUSTOMERS; from += CHUNK) {
      const customers = [], adds = [], messages = [], orders = [];
      for (let i = from; i < Math.min(from + CHUNK, CUSTOMERS); i += 1) {
        const p = plan(i);
        const id = ID_BASE + i;
        const external = `wm-volume-${i}`;
        customers.push({ id, name: `客户${i}`, store_id: stores[i % stores.length], external_userid: external, stage: 'new', status: 'active', store_locked: false, added_at: new Date(p.added), created_at: now, updated_at: now });
        if (p.way !== null) adds.push({ contact_way_id: ways[p.way], external_userid: external, wecom_userid: 'zhangsan', customer_id: id, added_at: new Date(p.added), created_at: now });
        if (p.replied) messages.push({ msgid: `volume-${i}`, seq: i + 1, status: 'stored', msgtype: 'text', action: 'send', from_id: external, external_userid: external, customer_id: id, msg_time: new Date(p.added + 2 * 3600_000), publickey_ver: 1, created_at: now });
        for (let n = 0; n < p.orders; n += 1) orders.push({ platform: 'test', platform_order_id: `volume-${i}-${n}`, shop_id: 'shop', status: 'paid', customer_id: id, items: '[]', total_fen: 9900, paid_fen: 9900, source_channel: 'test', placed_at: new Date(p.added + (1 + 2 * n) * DAY_MS), work_order_ids: '[]', created_at: now, updated_at: now });
      }
      await qi.bulkInsert('customers', customers);
      if (adds.length) await qi.bulkInsert('engagement_channel_adds', adds);
      if (messages.length) await qi.bulkInsert('archive_messages', messages);
      if (orders.length) await qi.bulkInsert('orders', orders);
    }
  }, 600_000);
  afterAll(() => server.stop(), 60_000);

  it(`computes the funnel of ${CUSTOMERS} customers with set-based SQL`, async () => {
    const admin = await server.login('admin');
    const started = Date.now();
    const reply = await server.api<{ data: FunnelView }>('GET', '/api/engagement/journey/funnel?from=2025-01-01&to=2025-03-31', { token: admin });
    const funnelMs = Date.now() - started;
    expect(reply.status).toBe(200);

    const plans = Array.from({ length: CUSTOMERS }, (_, i) => plan(i));
    const expected = [plans.length, plans.filter((p) => p.replied).length, plans.filter((p) => p.replied && p.orders >= 1).length, plans.filter((p) => p.replied && p.orders >= 2).length];
    expect(reply.body.data.customers).toBe(CUSTOMERS);
    expect(reply.body.data.stages.map((s) => s.reached)).toEqual(expected);
    expect(reply.body.data.stages[1]?.medianSeconds).toBe(7_200);
    expect(reply.body.data.channels).toHaveLength(7);

    const pageStarted = Date.now();
    const page = await server.api<{ data: { total: number } }>('GET', '/api/engagement/journey/customers?from=2025-01-01&to=2025-03-31&step=4&pageSize=20', { token: admin });
    const pageMs = Date.now() - pageStarted;
    expect(page.body.data.total).toBe(expected[3]);
    process.stdout.write(`journey funnel over ${CUSTOMERS} customers (${server.running.services.db.dialect}): funnel ${funnelMs} ms, customers at a step ${pageMs} ms\n`);
  }, 300_000);
});
