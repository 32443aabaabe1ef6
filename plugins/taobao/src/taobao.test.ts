import { startConnectorServer } from '../../commerce-core/src/testing/connector-test-kit';
import { TaobaoSimulator } from './simulator/taobao-simulator';

const credentials = { appKey: 'tb_app_key', appSecret: 'tb_app_secret_0123456789' };

describe('taobao connector', () => {
  let sim: TaobaoSimulator;
  let ctx: Awaited<ReturnType<typeof startConnectorServer>>;

  beforeAll(async () => {
    sim = await new TaobaoSimulator(credentials).start();
    ctx = await startConnectorServer('taobao', { ...credentials, sessionKey: 'shop-session', shopId: 'tb-shop', gateway: sim.url, categoryMap: { '20001': 'air_conditioner' } });
  }, 180_000);
  afterAll(async () => {
    await ctx.server.stop();
    await sim.stop();
  });

  const pull = async (token = ctx.admin) => {
    const reply = await ctx.server.api<{ received: number }>('POST', '/api/plugins/taobao/pull', { token });
    await ctx.kit.settle();
    return reply;
  };

  it('a call with a wrong secret is refused by TOP, reported, and stores nothing', async () => {
    const wrong = new TaobaoSimulator({ ...credentials, appSecret: 'another-secret' });
    await wrong.start();
    const tid = wrong.placeOrder();
    wrong.pay(tid);
    await ctx.server.api('PUT', '/api/system/plugins/taobao/settings', { token: ctx.admin, body: { settings: { ...credentials, sessionKey: 'shop-session', shopId: 'tb-shop', gateway: wrong.url } } });
    const reply = await pull();
    expect(reply.status).toBe(502);
    expect(wrong.refusedCalls).toBe(1);
    expect(wrong.pendingMessages).toBe(2);
    expect(await ctx.storedOrders()).toEqual([]);
    expect(await ctx.storedDeliveries()).toEqual([]);
    await wrong.stop();
    await ctx.server.api('PUT', '/api/system/plugins/taobao/settings', { token: ctx.admin, body: { settings: { ...credentials, sessionKey: 'shop-session', shopId: 'tb-shop', gateway: sim.url, categoryMap: { '20001': 'air_conditioner' } } } });
  });

  it('maps a paid Tmall trade (yuan → fen, Beijing time → UTC) and confirms its messages', async () => {
    const tid = sim.placeOrder({ city: '杭州市', phone: '13511112222', tmall: true });
    sim.pay(tid);
    const reply = await pull();
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ received: 1 });
    expect(sim.pendingMessages).toBe(0);
    const order = await ctx.kit.orderByPlatformId(ctx.admin, tid);
    const detail = (await ctx.server.api<{ data: Record<string, unknown> }>('GET', `/api/orders/${order!.id}`, { token: ctx.admin })).body.data;
    expect(detail).toMatchObject({ status: 'paid', totalFen: 299900, paidFen: 299900, sourceChannel: 'tmall', storeName: '杭州西湖店', buyerPhone: '13511112222', shopId: 'tb-shop' });
    expect(order!.workOrderIds).toHaveLength(1);
  });

  it('takes a redelivered message once', async () => {
    const tid = sim.placeOrder({ city: '上海市' });
    sim.pay(tid);
    await pull();
    sim.redeliver(tid);
    expect((await pull()).body).toEqual({ received: 1 });
    expect((await ctx.storedDeliveries()).filter((d) => d.platform_order_id === tid)).toEqual([expect.objectContaining({ event: 'WAIT_SELLER_SEND_GOODS', deliveries: 2 })]);
    expect((await ctx.storedOrders()).filter((o) => o.platform_order_id === tid)).toHaveLength(1);
  });

  it('a refund marks the trade refunded and cancels its work order', async () => {
    const tid = sim.placeOrder({ city: '广州市' });
    sim.pay(tid);
    await pull();
    const [workOrderId] = (await ctx.kit.orderByPlatformId(ctx.admin, tid))!.workOrderIds;
    sim.refund(tid);
    await pull();
    expect((await ctx.kit.orderByPlatformId(ctx.admin, tid))!.status).toBe('refunded');
    expect((await ctx.server.api<{ data: { status: string } }>('GET', `/api/work-orders/${workOrderId}`, { token: ctx.admin })).body.data.status).toBe('cancelled');
  });

  it('lets only users who manage orders pull', async () => {
    expect((await pull(await ctx.server.login('staff_sh01'))).status).toBe(403);
  });
});
