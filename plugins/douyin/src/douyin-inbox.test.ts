import { startConnectorServer } from '../../commerce-core/src/testing/connector-test-kit';
import { storeIdOf } from '../../../server/src/modules/work-orders/work-order-test-kit';
import { eventSign } from './douyin-sign';
import { DouyinSimulator } from './simulator/douyin-simulator';

const credentials = { appKey: 'dy_inbox_key', appSecret: 'dy_inbox_secret_0123456789' };

interface InboxItem {
  id: number;
  platformOrderId: string;
  event: string;
  status: string;
  deliveries: number;
  attempts: number;
  lastError: string | null;
  orderId: number | null;
}

/** The order inbox behind the push endpoint: stored before the answer, processed afterwards, exactly once. */
describe('douyin pushes through the order inbox', () => {
  let sim: DouyinSimulator;
  let ctx: Awaited<ReturnType<typeof startConnectorServer>>;
  const settings = (apiBase = sim.apiBase) => ({ ...credentials, accessToken: 'shop-token', apiBase, categoryMap: { '20001': 'air_conditioner' } });

  beforeAll(async () => {
    sim = await new DouyinSimulator({ ...credentials, shopId: '100002', seed: 11 }).start();
    // No background worker: what runs, and when, is up to each test.
    ctx = await startConnectorServer('douyin', settings(), { JOB_WORKER_ENABLED: 'false' });
  }, 180_000);
  afterAll(async () => {
    await ctx.server.stop();
    await sim.stop();
  });

  const paidOrder = (city = '上海市徐汇区') => {
    const id = sim.placeOrder({ buyer: { city } });
    sim.set(id, 'paid');
    return id;
  };
  const push = async (request: { rawBody: string; headers: Record<string, string> }) => (await fetch(ctx.url('/push'), { method: 'POST', headers: request.headers, body: request.rawBody })).status;
  const inbox = async (query: string) => (await ctx.server.api<{ data: { items: InboxItem[]; total: number } }>('GET', `/api/order-inbox?${query}`, { token: ctx.admin })).body.data;
  const useApiBase = async (apiBase: string) => expect((await ctx.server.api('PUT', '/api/system/plugins/douyin/settings', { token: ctx.admin, body: { settings: settings(apiBase) } })).status).toBe(200);

  it('answers a push once the delivery is stored, and takes the order in afterwards, exactly once', async () => {
    const id = paidOrder();
    expect(await push(sim.pushRequest('paid', id))).toBe(200);
    expect(await inbox(`platformOrderId=${id}`)).toMatchObject({ total: 1, items: [{ event: '101', status: 'pending', orderId: null }] });
    expect((await ctx.storedOrders()).filter((o) => o.platform_order_id === id)).toEqual([]);

    await ctx.kit.settle();
    const order = await ctx.kit.orderByPlatformId(ctx.admin, id);
    expect(order).toMatchObject({ status: 'paid' });
    expect(order!.workOrderIds).toHaveLength(1);
    const [delivery] = (await inbox(`platformOrderId=${id}`)).items;
    expect(delivery).toMatchObject({ status: 'processed', orderId: order!.id, deliveries: 1 });

    // Processing the same delivery again (a job run twice, a replay racing the worker) changes nothing.
    const services = ctx.server.running.services;
    const audits = await services.models.AuditLog.count({ where: { target_type: 'order', target_id: String(order!.id) } });
    await services.orders.inbox.processBatch([delivery!.id]);
    await ctx.kit.settle();
    expect((await ctx.storedOrders()).filter((o) => o.platform_order_id === id)).toHaveLength(1);
    expect(await services.models.AuditLog.count({ where: { target_type: 'order', target_id: String(order!.id) } })).toBe(audits);
    expect((await ctx.kit.orderByPlatformId(ctx.admin, id))!.workOrderIds).toEqual(order!.workOrderIds);
  });

  it('keeps the buyer data of a stored delivery encrypted', async () => {
    const id = paidOrder();
    expect(await push(sim.pushRequest('paid', id))).toBe(200);
    const [row] = await ctx.server.running.services.models.OrderInbox.findAll({ where: { platform_order_id: id }, raw: true });
    expect(row!.payload_enc).not.toContain(id);
    await ctx.kit.settle();
  });

  it('parks a delivery whose processing keeps failing as a dead letter, shows why, and replays it', async () => {
    const id = paidOrder('杭州市西湖区');
    // The platform's API cannot be reached while the delivery is processed.
    await useApiBase('http://127.0.0.1:9');
    expect(await push(sim.pushRequest('paid', id))).toBe(200);
    const { services } = ctx.server.running;
    await services.orders.inbox.dispatchPending();
    for (let attempt = 0; attempt < 10; attempt += 1) {
      await services.models.Job.update({ run_at: new Date(Date.now() - 1000) }, { where: { status: 'pending' } });
      await services.queue.drain();
    }
    const dead = await inbox(`status=dead&platformOrderId=${id}`);
    expect(dead.items).toEqual([expect.objectContaining({ status: 'dead', attempts: 10, orderId: null })]);
    expect(dead.items[0]!.lastError).toContain(`douyin ${id} 101`);
    expect(await ctx.storedOrders()).not.toContainEqual(expect.objectContaining({ platform_order_id: id }));

    const staff = await ctx.server.login('staff_sh01');
    expect((await ctx.server.api('POST', `/api/order-inbox/${dead.items[0]!.id}/replay`, { token: staff })).status).toBe(403);
    await useApiBase(sim.apiBase);
    expect((await ctx.server.api('POST', `/api/order-inbox/${dead.items[0]!.id}/replay`, { token: ctx.admin })).status).toBe(200);
    await ctx.kit.settle();
    expect(await ctx.kit.orderByPlatformId(ctx.admin, id)).toMatchObject({ status: 'paid' });
    expect((await inbox(`platformOrderId=${id}`)).items).toEqual([expect.objectContaining({ status: 'processed', lastError: null })]);
    expect(await services.models.AuditLog.count({ where: { action: 'order.delivery_replayed', target_id: String(dead.items[0]!.id) } })).toBe(1);

    const again = await ctx.server.api<{ code: string; message: string }>('POST', `/api/order-inbox/${dead.items[0]!.id}/replay`, { token: ctx.admin });
    expect(again.status).toBe(409);
    expect(again.body.message).toContain('not a dead letter');
  });

  it('picks up a delivery whose instance died before dispatching it (the scheduled scan)', async () => {
    const id = paidOrder('广州市天河区');
    const { services } = ctx.server.running;
    // As a crashed instance leaves it: stored, no job yet.
    await services.orders.inbox.receive('douyin', [{ platformOrderId: id, event: '101', payload: `{"p_id":${id},"shop_id":100002,"order_status":2}` }]);
    await services.orders.inbox.stop();
    expect((await inbox(`platformOrderId=${id}`)).items).toEqual([expect.objectContaining({ status: 'pending' })]);
    expect(await services.models.OrderInbox.count({ where: { platform_order_id: id, job_id: null } })).toBe(1);
    expect(await services.orders.inbox.dispatchPending()).toBe(1);
    await ctx.kit.settle();
    expect(await ctx.kit.orderByPlatformId(ctx.admin, id)).toMatchObject({ status: 'paid' });
  });

  it('refuses a malformed push with 400 naming the message, and stores nothing of it', async () => {
    const id = paidOrder();
    const good = sim.pushRequest('paid', id);
    const before = (await inbox('')).total;
    const rawBody = JSON.stringify([{ tag: '101', msg_id: 'm1', data: '{"shop_id":1}' }]);
    const signed = { rawBody, headers: { ...good.headers, 'event-sign': eventSign(credentials.appKey, rawBody, credentials.appSecret) } };
    const reply = await fetch(ctx.url('/push'), { method: 'POST', headers: signed.headers, body: signed.rawBody });
    expect(reply.status).toBe(400);
    expect(((await reply.json()) as { msg: string }).msg).toContain('message 0 (m1)');
    expect((await inbox('')).total).toBe(before);
  });

  it('lists deliveries only for users who manage orders and see every store, and checks the filters', async () => {
    expect((await ctx.server.api('GET', '/api/order-inbox', { token: await ctx.server.login('staff_sh01') })).status).toBe(403);
    // Deliveries belong to no store until processed: a store-scoped order manager may not open the inbox.
    const role = await ctx.server.api<{ data: { id: number } }>('POST', '/api/roles', { token: ctx.admin, body: { code: 'inbox_operator', name: '店铺运营', dataScope: 'store', permissions: ['order:manage', 'org:read'] } });
    const user = await ctx.server.api('POST', '/api/users', { token: ctx.admin, body: { username: 'inbox_op_sh01', displayName: '店铺运营', password: 'inbox-op-pass-1', roleId: role.body.data.id, storeId: await storeIdOf(ctx.server, 'SH01') } });
    expect(user.status).toBe(200);
    const operator = await ctx.server.login('inbox_op_sh01', 'inbox-op-pass-1');
    const scoped = await ctx.server.api<{ message: string }>('GET', '/api/order-inbox', { token: operator });
    expect(scoped.status).toBe(403);
    expect(scoped.body.message).toContain('all stores');
    expect((await ctx.server.api('POST', '/api/order-inbox/1/replay', { token: operator })).status).toBe(403);
    const bad = await ctx.server.api<{ message: string }>('GET', '/api/order-inbox?status=lost', { token: ctx.admin });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('status');
  });
});
