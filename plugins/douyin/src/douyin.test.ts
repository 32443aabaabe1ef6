import { startConnectorServer } from '../../commerce-core/src/testing/connector-test-kit';
import { mapDouyinOrder } from './douyin-map';
import { DouyinSimulator } from './simulator/douyin-simulator';

const credentials = { appKey: 'dy_app_key', appSecret: 'dy_app_secret_0123456789' };

describe('douyin connector', () => {
  let sim: DouyinSimulator;
  let ctx: Awaited<ReturnType<typeof startConnectorServer>>;

  beforeAll(async () => {
    sim = await new DouyinSimulator({ ...credentials, shopId: '100001' }).start();
    ctx = await startConnectorServer('douyin', { ...credentials, accessToken: 'shop-token', apiBase: sim.apiBase, categoryMap: { '20001': 'air_conditioner' } });
  }, 180_000);
  afterAll(async () => {
    await ctx.server.stop();
    await sim.stop();
  });

  const push = async (request: { rawBody: string; headers: Record<string, string> }) => {
    const reply = await fetch(ctx.url('/push'), { method: 'POST', headers: request.headers, body: request.rawBody });
    await ctx.kit.settle();
    return { status: reply.status, body: (await reply.json()) as Record<string, unknown> };
  };
  const stored = async (id: string) => ctx.kit.orderByPlatformId(ctx.admin, id);

  it('refuses a tampered push with 401 and stores nothing', async () => {
    const id = sim.placeOrder({ buyer: { city: '上海市徐汇区' } });
    sim.set(id, 'paid');
    const signed = sim.pushRequest('paid', id);
    expect((await push({ ...signed, rawBody: signed.rawBody.replace(id, `${id.slice(0, -1)}${id.endsWith('9') ? '8' : '9'}`) })).status).toBe(401);
    expect((await push({ ...signed, headers: { ...signed.headers, 'event-sign': '0'.repeat(32) } })).status).toBe(401);
    expect((await push({ ...signed, headers: { ...signed.headers, 'app-id': 'someone-else' } })).status).toBe(401);
    expect(await ctx.storedOrders()).toEqual([]);
    expect(await ctx.storedDeliveries()).toEqual([]);
    expect(sim.refusedRequests).toBe(0);
  });

  it('maps a paid live-room order: buyer, items in fen, channel, and routes it to the nearest store', async () => {
    const id = sim.placeOrder({ buyer: { name: '赵女士', phone: '13812345678', city: '上海市徐汇区' } });
    sim.set(id, 'paid');
    const reply = await push(sim.pushRequest('paid', id));
    expect(reply).toEqual({ status: 200, body: { code: 0, msg: 'success' } });
    const order = await stored(id);
    expect(order).toMatchObject({ status: 'paid', buyerPhone: '13812345678' });
    const detail = (await ctx.server.api<{ data: { items: unknown[]; totalFen: number; paidFen: number; sourceChannel: string; storeName: string; buyerName: string } }>('GET', `/api/orders/${order!.id}`, { token: ctx.admin })).body.data;
    expect(detail).toMatchObject({ totalFen: 299900, paidFen: 299900, sourceChannel: 'douyin_live', storeName: '上海徐汇店', buyerName: '赵女士' });
    expect(detail.items).toEqual([{ sku: 'AC-KFR35', name: '格力 1.5 匹变频挂机', category: 'air_conditioner', quantity: 1, unitPriceFen: 299900 }]);
    expect(order!.workOrderIds).toHaveLength(1);
  });

  it('takes a repeated push once, and accepts HMAC-SHA256 signed pushes', async () => {
    const id = sim.placeOrder({ buyer: { city: '杭州市西湖区' } });
    sim.set(id, 'paid');
    expect((await push(sim.pushRequest('paid', id))).status).toBe(200);
    expect((await push(sim.pushRequest('paid', id, { signMethod: 'hmac-sha256' }))).status).toBe(200);
    expect((await push(sim.pushRequest('created', id))).status).toBe(200);
    const deliveries = (await ctx.storedDeliveries()).filter((d) => d.platform_order_id === id);
    expect(deliveries.map((d) => ({ event: d.event, deliveries: d.deliveries, processed: d.processed_at !== null })).sort((a, b) => a.event.localeCompare(b.event))).toEqual([
      { event: '100', deliveries: 1, processed: true },
      { event: '101', deliveries: 2, processed: true },
    ]);
    expect((await ctx.storedOrders()).filter((o) => o.platform_order_id === id)).toHaveLength(1);
    expect((await stored(id))!.workOrderIds).toHaveLength(1);
  });

  it('a refund marks the order refunded and cancels its work order', async () => {
    const id = sim.placeOrder({ buyer: { city: '广州市天河区' } });
    sim.set(id, 'paid');
    await push(sim.pushRequest('paid', id));
    const [workOrderId] = (await stored(id))!.workOrderIds;
    expect((await push(sim.pushRequest('refunded', id))).status).toBe(200);
    expect((await stored(id))!.status).toBe('refunded');
    const wo = await ctx.server.api<{ data: { status: string } }>('GET', `/api/work-orders/${workOrderId}`, { token: ctx.admin });
    expect(wo.body.data.status).toBe('cancelled');
  });

  it('leaves out the category of a platform category the shop has not mapped', () => {
    const sample = new DouyinSimulator(credentials);
    const id = sample.placeOrder({ product: 2 });
    const order = mapDouyinOrder(sample.detail(id), { categoryMap: { '20001': 'air_conditioner' } });
    expect(order.items[0]).toEqual({ sku: 'BR-10', name: '空调安装支架', quantity: 1, unitPriceFen: 9900 });
    expect(order.status).toBe('created');
  });
});
