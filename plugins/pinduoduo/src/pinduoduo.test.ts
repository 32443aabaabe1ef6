import { startConnectorServer } from '../../commerce-core/src/testing/connector-test-kit';
import { mapPddOrder } from './pdd-map';
import { PddSimulator } from './simulator/pdd-simulator';

const credentials = { clientId: 'pdd_client_id', clientSecret: 'pdd_client_secret_0123456789' };
const categoryMap = { 'AC-KFR35': 'air_conditioner', 'AC-KFR72': 'air_conditioner' };

describe('pinduoduo connector', () => {
  let sim: PddSimulator;
  let ctx: Awaited<ReturnType<typeof startConnectorServer>>;
  const settings = () => ({ ...credentials, accessToken: 'shop-token', shopId: 'pdd-shop', gateway: sim.url, categoryMap });

  beforeAll(async () => {
    sim = await new PddSimulator(credentials).start();
    ctx = await startConnectorServer('pinduoduo', settings());
  }, 180_000);
  afterAll(async () => {
    await ctx.server.stop();
    await sim.stop();
  });

  const pull = async () => {
    const reply = await ctx.server.api<{ received: number }>('POST', '/api/plugins/pinduoduo/pull', { token: ctx.admin });
    await ctx.kit.settle();
    return reply;
  };

  it('a call signed with another secret is refused by the platform, reported, and stores nothing', async () => {
    sim.placePaidOrder({ city: '上海市' });
    await ctx.server.api('PUT', '/api/system/plugins/pinduoduo/settings', { token: ctx.admin, body: { settings: { ...settings(), clientSecret: 'not-the-secret' } } });
    const reply = await pull();
    expect(reply.status).toBe(502);
    expect(sim.refusedCalls).toBe(1);
    expect(await ctx.storedOrders()).toEqual([]);
    expect(await ctx.storedDeliveries()).toEqual([]);
    await ctx.server.api('PUT', '/api/system/plugins/pinduoduo/settings', { token: ctx.admin, body: { settings: settings() } });
  });

  it('maps a paid group-purchase order (yuan → fen) and a second pull changes nothing', async () => {
    const sn = sim.placePaidOrder({ city: '杭州市', phone: '13733335555', group: true });
    const first = await pull();
    expect(first.status).toBe(200);
    const order = await ctx.kit.orderByPlatformId(ctx.admin, sn);
    const detail = (await ctx.server.api<{ data: Record<string, unknown> }>('GET', `/api/orders/${order!.id}`, { token: ctx.admin })).body.data;
    expect(detail).toMatchObject({ status: 'paid', totalFen: 299900, paidFen: 299900, sourceChannel: 'pdd_group', storeName: '杭州西湖店', buyerPhone: '13733335555' });
    expect(order!.workOrderIds).toHaveLength(1);
    expect((await pull()).status).toBe(200);
    expect((await ctx.storedDeliveries()).filter((d) => d.platform_order_id === sn)).toEqual([expect.objectContaining({ event: '1-1', order_id: order!.id })]);
    expect((await ctx.storedOrders()).filter((o) => o.platform_order_id === sn)).toHaveLength(1);
    expect((await ctx.kit.orderByPlatformId(ctx.admin, sn))!.workOrderIds).toHaveLength(1);
  });

  it('a refund marks the order refunded and cancels its work order', async () => {
    const sn = sim.placePaidOrder({ city: '广州市' });
    await pull();
    const [workOrderId] = (await ctx.kit.orderByPlatformId(ctx.admin, sn))!.workOrderIds;
    sim.refund(sn);
    await pull();
    expect((await ctx.kit.orderByPlatformId(ctx.admin, sn))!.status).toBe('refunded');
    expect((await ctx.server.api<{ data: { status: string } }>('GET', `/api/work-orders/${workOrderId}`, { token: ctx.admin })).body.data.status).toBe('cancelled');
  });

  it('rounds yuan prices to fen exactly', () => {
    const mapped = mapPddOrder(
      { order_sn: 's', order_status: 1, refund_status: 1, pay_amount: 0.29, goods_amount: 1.005, created_time: '2026-01-01 00:00:00', updated_at: '2026-01-01 00:00:00', item_list: [{ goods_id: 1, sku_id: 2, goods_name: 'x', goods_count: 3, goods_price: 0.1 }] },
      { shopId: 'pdd-shop' },
    );
    expect(mapped).toMatchObject({ paidFen: 29, totalFen: 101, items: [{ sku: '2', quantity: 3, unitPriceFen: 10 }], createdAt: '2025-12-31T16:00:00.000Z' });
  });
});
