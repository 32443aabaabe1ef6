import { startTestServer, type TestServer } from '../../testing/test-server';
import { publishInstallFlow, settlementKit } from '../settlement/settlement-test-kit';
import { accept, storeIdOf } from '../work-orders/work-order-test-kit';
import { acOrder, acOrderRule, orderKit } from './order-test-kit';

interface WorkOrderView {
  id: number;
  status: string;
  storeId: number;
  customerId: number | null;
  sourceChannel: string;
  amountFen: number;
  lockVersion: number;
  serviceItems: Array<{ code?: string; name: string; quantity: number }>;
}

describe('shop orders', () => {
  let server: TestServer;
  let admin: string;
  let kit: ReturnType<typeof orderKit>;

  beforeAll(async () => {
    server = await startTestServer();
    admin = await server.login('admin');
    kit = orderKit(server);
    await publishInstallFlow(server, admin);
    await kit.placeStores(admin);
    await kit.addRule(admin, acOrderRule('st_install'));
  }, 180_000);
  afterAll(() => server.stop());

  const workOrder = async (id: number) => (await server.api<{ data: WorkOrderView }>('GET', `/api/work-orders/${id}`, { token: admin })).body.data;

  it('turns a paid AC order into a customer, a timeline entry and an installation work order in the nearest store', async () => {
    const order = acOrder();
    const result = await kit.ingest(order);
    expect(result).toMatchObject({ created: true, statusChanged: true });

    const stored = await kit.orderByPlatformId(admin, order.platformOrderId);
    expect(stored).toMatchObject({ status: 'paid', storeId: await storeIdOf(server, 'HZ01'), buyerPhone: '13900001111' });
    expect(stored!.workOrderIds).toHaveLength(1);

    const wo = await workOrder(stored!.workOrderIds[0]!);
    expect(wo).toMatchObject({ storeId: await storeIdOf(server, 'HZ01'), customerId: stored!.customerId, sourceChannel: 'douyin', amountFen: 299900 });
    expect(wo.serviceItems).toEqual([{ code: 'ac_install', name: '空调安装', quantity: 1 }]);

    const timeline = await server.api<{ data: { items: Array<{ kind: string }> } }>('GET', `/api/customers/${stored!.customerId}/timeline`, { token: admin });
    expect(timeline.body.data.items.map((e) => e.kind)).toEqual(expect.arrayContaining(['order.paid', 'order.work_order_created']));
  });

  it('is idempotent: a repeated delivery and an older status change nothing', async () => {
    const order = acOrder();
    const first = await kit.ingest(order);
    expect(await kit.ingest(order)).toEqual({ orderId: first.orderId, created: false, statusChanged: false });
    expect(await kit.ingest({ ...order, status: 'created' })).toEqual({ orderId: first.orderId, created: false, statusChanged: false });
    const count = await server.running.services.models.Order.count({ where: { platform_order_id: order.platformOrderId } });
    expect(count).toBe(1);
    expect((await kit.orderByPlatformId(admin, order.platformOrderId))!.workOrderIds).toHaveLength(1);
  });

  it('matches the buyer to an existing customer by phone', async () => {
    const created = await server.api<{ data: { id: number } }>('POST', '/api/customers', { token: admin, body: { name: '老客户', phone: '13700002222', storeId: await storeIdOf(server, 'SH01') } });
    expect(created.status).toBe(200);
    const order = acOrder({ buyer: { name: '另一个名字', phone: '+86 137-0000-2222', lat: 31.2, lng: 121.44 } });
    await kit.ingest(order);
    expect((await kit.orderByPlatformId(admin, order.platformOrderId))!.customerId).toBe(created.body.data.id);
  });

  it('leaves an order no rule matches without a work order, and says why', async () => {
    const order = acOrder({ items: [{ sku: 'TV-55', name: '电视', category: 'tv', quantity: 1, unitPriceFen: 199900 }] });
    await kit.ingest(order);
    expect(await kit.orderByPlatformId(admin, order.platformOrderId)).toMatchObject({ workOrderIds: [], routingNote: 'no order rule matched' });
  });

  it('a refund cancels the open work order', async () => {
    const order = acOrder();
    await kit.ingest(order);
    const [woId] = (await kit.orderByPlatformId(admin, order.platformOrderId))!.workOrderIds;
    expect(await kit.ingest({ ...order, status: 'refunded', refundedAt: new Date().toISOString() })).toMatchObject({ statusChanged: true });
    expect((await workOrder(woId!)).status).toBe('cancelled');
    expect((await kit.orderByPlatformId(admin, order.platformOrderId))!.status).toBe('refunded');
  });

  it('a refund after completion removes the job from the open settlement period', async () => {
    const settlement = settlementKit(server);
    const order = acOrder({ buyer: { name: '上海买家', phone: '13600003333', lat: 31.19, lng: 121.44 } });
    await kit.ingest(order);
    const [woId] = (await kit.orderByPlatformId(admin, order.platformOrderId))!.workOrderIds;
    const tech = await server.login('tech_sh01');
    const wo = await workOrder(woId!);
    const lockVersion = await accept(server, tech, wo);
    const done = await server.api('POST', `/api/work-orders/${woId}/complete`, { token: tech, body: { lockVersion, form: { rating: 5 } } });
    expect(done.status).toBe(200);
    await kit.settle();
    expect((await settlement.linesOf(admin, `workOrderId=${woId}`)).length).toBeGreaterThan(0);

    await kit.ingest({ ...order, status: 'refunded', refundedAt: new Date().toISOString() });
    expect(await settlement.linesOf(admin, `workOrderId=${woId}`)).toEqual([]);
  });

  it('refuses a bad rule with a 400 naming the field, and stores nothing', async () => {
    const before = (await server.api<{ data: unknown[] }>('GET', '/api/order-rules', { token: admin })).body.data.length;
    const fixedWithoutStore = await server.api<{ details: Array<{ path: string }> }>('POST', '/api/order-rules', { token: admin, body: { name: 'x', conditions: { all: [] }, flowCode: 'st_install', storeStrategy: 'fixed' } });
    expect(fixedWithoutStore.status).toBe(400);
    expect(fixedWithoutStore.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'body.storeId' })]));
    const unknownFlow = await server.api<{ details: Array<{ path: string }> }>('POST', '/api/order-rules', { token: admin, body: { name: 'x', conditions: { all: [] }, flowCode: 'nope', storeStrategy: 'shop_default' } });
    expect(unknownFlow.status).toBe(400);
    expect(unknownFlow.body.details).toEqual([expect.objectContaining({ path: 'body.flowCode' })]);
    const badFact = await server.api('POST', '/api/order-rules', { token: admin, body: { name: 'x', conditions: { all: [{ fact: 'secret', operator: 'equal', value: 1 }] }, flowCode: 'st_install', storeStrategy: 'shop_default' } });
    expect(badFact.status).toBe(400);
    expect((await server.api<{ data: unknown[] }>('GET', '/api/order-rules', { token: admin })).body.data).toHaveLength(before);
  });

  it('shows a store manager only the orders of their store; store staff none', async () => {
    const staff = await server.login('staff_sh01');
    const reply = await server.api<{ code: string }>('GET', '/api/orders', { token: staff });
    expect(reply.status).toBe(403);
    const manager = await server.login('manager_sh01');
    const sh01 = await storeIdOf(server, 'SH01');
    const visible = await server.api<{ data: { items: Array<{ storeId: number | null }> } }>('GET', '/api/orders?pageSize=200', { token: manager });
    expect(visible.status).toBe(200);
    expect(visible.body.data.items.length).toBeGreaterThan(0);
    expect(visible.body.data.items.every((o) => o.storeId === sh01)).toBe(true);
  });
});
