import { startConnectorServer } from '../../commerce-core/src/testing/connector-test-kit';
import { mapJdOrder } from './jd-map';
import { JdSimulator } from './simulator/jd-simulator';

const credentials = { appKey: 'jd_app_key', appSecret: 'jd_app_secret_0123456789' };
const categoryMap = { 'AC-KFR35': 'air_conditioner', 'AC-KFR72': 'air_conditioner' };

describe('jd connector', () => {
  let sim: JdSimulator;
  let ctx: Awaited<ReturnType<typeof startConnectorServer>>;
  const settings = () => ({ ...credentials, accessToken: 'vendor-token', shopId: 'jd-shop', gateway: sim.url, categoryMap });

  beforeAll(async () => {
    sim = await new JdSimulator(credentials).start();
    ctx = await startConnectorServer('jd', settings());
  }, 180_000);
  afterAll(async () => {
    await ctx.server.stop();
    await sim.stop();
  });

  const pull = async () => {
    const reply = await ctx.server.api<{ received: number }>('POST', '/api/plugins/jd/pull', { token: ctx.admin });
    await ctx.kit.settle();
    return reply;
  };

  it('a call signed with another secret is refused by JOS, reported, and stores nothing', async () => {
    sim.placePaidOrder({ city: '上海市' });
    await ctx.server.api('PUT', '/api/system/plugins/jd/settings', { token: ctx.admin, body: { settings: { ...settings(), appSecret: 'not-the-secret' } } });
    const reply = await pull();
    expect(reply.status).toBe(502);
    expect(sim.refusedCalls).toBe(1);
    expect(await ctx.storedOrders()).toEqual([]);
    expect(await ctx.storedDeliveries()).toEqual([]);
    await ctx.server.api('PUT', '/api/system/plugins/jd/settings', { token: ctx.admin, body: { settings: settings() } });
  });

  it('polls from its cursor: maps paid orders (yuan → fen) and a second pull changes nothing', async () => {
    const id = sim.placePaidOrder({ city: '深圳市', phone: '13322224444', quantity: 2, product: 1 });
    const first = await pull();
    expect(first.status).toBe(200);
    expect(first.body.received).toBe(2);
    const order = await ctx.kit.orderByPlatformId(ctx.admin, id);
    const detail = (await ctx.server.api<{ data: Record<string, unknown> }>('GET', `/api/orders/${order!.id}`, { token: ctx.admin })).body.data;
    expect(detail).toMatchObject({ status: 'paid', totalFen: 1379800, paidFen: 1379800, sourceChannel: 'jd', storeName: '深圳南山店', buyerPhone: '13322224444' });
    expect(order!.workOrderIds).toHaveLength(1);
    expect((await pull()).status).toBe(200);
    expect((await ctx.storedDeliveries()).filter((d) => d.platform_order_id === id)).toEqual([expect.objectContaining({ event: 'WAIT_SELLER_STOCK_OUT', order_id: order!.id })]);
    expect((await ctx.storedOrders()).filter((o) => o.platform_order_id === id)).toHaveLength(1);
    expect((await ctx.kit.orderByPlatformId(ctx.admin, id))!.workOrderIds).toHaveLength(1);
  });

  it('a cancelled paid order is refunded and its work order cancelled', async () => {
    const id = sim.placePaidOrder({ city: '广州市' });
    await pull();
    const [workOrderId] = (await ctx.kit.orderByPlatformId(ctx.admin, id))!.workOrderIds;
    sim.cancel(id);
    await pull();
    expect((await ctx.kit.orderByPlatformId(ctx.admin, id))!.status).toBe('refunded');
    expect((await ctx.server.api<{ data: { status: string } }>('GET', `/api/work-orders/${workOrderId}`, { token: ctx.admin })).body.data.status).toBe('cancelled');
  });

  it('maps an unpaid cancelled order as cancelled, not refunded', () => {
    const mapped = mapJdOrder(
      { orderId: '1', orderState: 'TRADE_CANCELED', orderTotalPrice: '0.10', orderPayment: '0.00', orderStartTime: '2026-01-01 08:00:00', itemInfoList: [{ skuId: '9', skuName: 'x', itemTotal: '1', jdPrice: '0.1' }] },
      { shopId: 'jd-shop' },
    );
    expect(mapped).toMatchObject({ status: 'cancelled', totalFen: 10, paidFen: 0, createdAt: '2026-01-01T00:00:00.000Z' });
  });
});
