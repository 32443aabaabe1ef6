import { startTestServer, type TestServer } from '../../../testing/test-server';
import { seedJourney, type JourneyFixture } from './journey-test-kit';
import type { FunnelView } from './journey.schemas';

interface StepCustomer { id: number; name: string; storeName: string | null; contactWayName: string | null; at: string }

/** The default journey (添加好友 → 互动 → 下单 → 复购) over customers added in March 2026, Asia/Shanghai. */
describe('customer journey funnel', () => {
  let server: TestServer;
  let admin: string;
  let fixture: JourneyFixture;
  const march = 'from=2026-03-01&to=2026-03-31';

  const funnel = async (query: string, token = admin) => {
    const reply = await server.api<{ data: FunnelView }>('GET', `/api/engagement/journey/funnel?${query}`, { token });
    expect(reply.status).toBe(200);
    return reply.body.data;
  };
  const reached = (view: FunnelView) => view.stages.map((s) => s.reached);

  beforeAll(async () => {
    server = await startTestServer();
    admin = await server.login('admin');
    fixture = await seedJourney(server);
  });
  afterAll(() => server.stop());

  it('counts the customers reaching each default stage, with the conversion of every step', async () => {
    const view = await funnel(march);
    expect(view.stages.map((s) => [s.nameZh, s.event.type])).toEqual([
      ['添加好友', 'customer_added'],
      ['互动', 'first_message'],
      ['下单', 'order_created'],
      ['复购', 'order_created'],
    ]);
    // the merged customer and the one added on 28 February (Shanghai) are not measured
    expect(view.customers).toBe(6);
    expect(reached(view)).toEqual([6, 3, 2, 1]);
    expect(view.stages.map((s) => s.conversionFromPrevious)).toEqual([1, 0.5, 0.6667, 0.5]);
    expect(view.stages.map((s) => s.conversionFromFirst)).toEqual([1, 0.5, 0.3333, 0.1667]);
  });

  it('gives the average and median time between stages', async () => {
    const view = await funnel(march);
    // replies 1 h, 2 h and 24 h after the add; first orders 23 h and 48 h after the reply; the second order 48 h after the first
    expect(view.stages.map((s) => [s.averageSeconds, s.medianSeconds])).toEqual([
      [null, null],
      [32_400, 7_200],
      [127_800, 127_800],
      [172_800, 172_800],
    ]);
  });

  it('counts a stage only after the previous one: an order placed before the first reply is no 下单', async () => {
    const dropped = await server.api<{ data: { items: StepCustomer[]; total: number } }>('GET', `/api/engagement/journey/customers?${march}&step=3&mode=dropped`, { token: admin });
    expect(dropped.status).toBe(200);
    expect(dropped.body.data.items.map((c) => c.id)).toEqual([fixture.ids.orderedBeforeChat]);
  });

  it('breaks the funnel down by first channel, a later add through another channel changing nothing', async () => {
    const { channels } = await funnel(march);
    expect(channels.map((c) => [c.name, c.customers, c.reached, c.conversion])).toEqual([
      ['旅程·柜台', 3, [3, 2, 2, 1], 0.3333],
      ['旅程·传单', 2, [2, 1, 0, 0], 0],
      [null, 1, [1, 0, 0, 0], 0],
    ]);
    expect(channels.map((c) => c.contactWayId)).toEqual([fixture.ways.counter, fixture.ways.flyer, null]);
  });

  it('filters by channel, by store and by Asia/Shanghai days', async () => {
    expect(reached(await funnel(`${march}&contactWayId=${fixture.ways.counter}`))).toEqual([3, 2, 2, 1]);
    expect(reached(await funnel(`${march}&storeId=${fixture.stores.hz}`))).toEqual([1, 0, 0, 0]);
    const firstOfMarch = await funnel('from=2026-03-01&to=2026-03-01');
    expect(firstOfMarch.customers).toBe(1);
    expect((await server.api<{ data: { items: StepCustomer[] } }>('GET', '/api/engagement/journey/customers?from=2026-03-01&to=2026-03-01&step=1', { token: admin })).body.data.items.map((c) => c.id)).toEqual([fixture.ids.earlyShanghai]);
    expect((await funnel('from=2026-02-28&to=2026-02-28')).customers).toBe(1);
  });

  it('lists the customers who reached a step, newest first and paged, with their store and channel', async () => {
    const page = async (query: string) => (await server.api<{ data: { items: StepCustomer[]; total: number } }>('GET', `/api/engagement/journey/customers?${march}&${query}`, { token: admin })).body.data;
    const first = await page('step=3&pageSize=1');
    expect(first.total).toBe(2);
    expect(first.items).toEqual([expect.objectContaining({ id: fixture.ids.firstOrder, name: '旅程-firstOrder', storeName: '上海徐汇店', contactWayName: '旅程·柜台', at: '2026-03-06T04:00:00.000Z' })]);
    expect((await page('step=3&pageSize=1&page=2')).items.map((c) => c.id)).toEqual([fixture.ids.full]);
    expect((await page('step=1&pageSize=50')).total).toBe(6);
  });

  it('shows a store-scoped user only their store, whatever store they ask for', async () => {
    const role = await server.api<{ data: { id: number } }>('POST', '/api/roles', { token: admin, body: { code: 'journey_viewer', name: '旅程查看', dataScope: 'store', permissions: ['engagement:read'] } });
    expect(role.status).toBe(200);
    const user = await server.api('POST', '/api/users', { token: admin, body: { username: 'journey_sh', displayName: '徐汇运营', password: 'journey-pass-1', roleId: role.body.data.id, storeId: fixture.stores.sh } });
    expect(user.status).toBe(200);
    const token = await server.login('journey_sh', 'journey-pass-1');
    const view = await funnel(march, token);
    expect(view.customers).toBe(5);
    expect(reached(view)).toEqual([5, 3, 2, 1]);
    expect(view.channels.find((c) => c.contactWayId === fixture.ways.flyer)?.customers).toBe(1);
    expect((await funnel(`${march}&storeId=${fixture.stores.hz}`, token)).customers).toBe(0);
    const listed = await server.api<{ data: { items: StepCustomer[] } }>('GET', `/api/engagement/journey/customers?${march}&step=1&pageSize=50`, { token });
    expect(listed.body.data.items.map((c) => c.id)).not.toContain(fixture.ids.employeeOnly);
    expect((await server.api('POST', '/api/engagement/journey/stages', { token, body: { nameZh: '到店', event: { type: 'work_order_completed' } } })).status).toBe(403);
  });

  it('refuses bad funnel filters, naming the parameter', async () => {
    const backwards = await server.api('GET', '/api/engagement/journey/funnel?from=2026-03-31&to=2026-03-01', { token: admin });
    expect(backwards.status).toBe(400);
    expect(JSON.stringify(backwards.body)).toContain('query.to');
    const notADate = await server.api('GET', '/api/engagement/journey/funnel?from=2026-13-45', { token: admin });
    expect(notADate.status).toBe(400);
    expect(JSON.stringify(notADate.body)).toContain('query.from');
    const noSuchStep = await server.api('GET', `/api/engagement/journey/customers?${march}&step=7`, { token: admin });
    expect(noSuchStep.status).toBe(400);
    expect(JSON.stringify(noSuchStep.body)).toContain('query.step');
    expect((await server.api('GET', `/api/engagement/journey/customers?${march}&step=1&mode=dropped`, { token: admin })).status).toBe(400);
  });
});
