import type { TestServer } from '../../testing/test-server';
import { startTestServer } from '../../testing/test-server';
import { oneTaskFlow, publishFlow, storeIdOf } from '../work-orders/work-order-test-kit';
import { acOrder, acOrderRule, orderKit } from './order-test-kit';

interface Shop {
  id: number;
  platform: string;
  shopId: string;
  name: string;
  defaultStoreId: number | null;
}

/** 店铺与默认门店: shops per platform with their default store, kept to the caller's data scope and used when the buyer's position is unknown. */
describe('platform shops and their default store', () => {
  let server: TestServer;
  let admin: string;
  let operator: string;
  let stores: Record<'SH01' | 'GZ01', number>;

  beforeAll(async () => {
    server = await startTestServer({ env: { JOB_WORKER_ENABLED: 'false' } });
    admin = await server.login('admin');
    stores = { SH01: await storeIdOf(server, 'SH01'), GZ01: await storeIdOf(server, 'GZ01') };
    await publishFlow(server, admin, 'ac_install_shops', oneTaskFlow({ assignee: { strategy: 'role', roleCode: 'technician' } }));
    const kit = orderKit(server);
    await kit.placeStores(admin);
    await kit.addRule(admin, acOrderRule('ac_install_shops'));
    // A store-scoped operator of SH01 who may manage shops.
    const role = await server.api<{ data: { id: number } }>('POST', '/api/roles', { token: admin, body: { code: 'shop_operator', name: '店铺运营', dataScope: 'store', permissions: ['order:manage', 'org:read'] } });
    const user = await server.api('POST', '/api/users', { token: admin, body: { username: 'shop_op_sh01', displayName: '店铺运营', password: 'shop-op-pass-1', roleId: role.body.data.id, storeId: stores.SH01 } });
    expect(user.status).toBe(200);
    operator = await server.login('shop_op_sh01', 'shop-op-pass-1');
  });
  afterAll(() => server?.stop());

  const shops = async (token: string) => (await server.api<{ data: Shop[] }>('GET', '/api/order-shops', { token })).body.data;
  const save = (token: string, body: Record<string, unknown>) => server.api<{ data: Shop }>('PUT', '/api/order-shops', { token, body });

  it('sets a shop’s default store, audited, and routes an order with no buyer position there', async () => {
    const saved = await save(admin, { platform: 'douyin', shopId: 'dy-gz', name: '抖店广州旗舰店', defaultStoreId: stores.GZ01 });
    expect(saved.status).toBe(200);
    const audit = await server.api<{ data: { items: Array<{ action: string; targetId: string }> } }>('GET', '/api/audit-logs?action=order_shop.created', { token: admin });
    expect(audit.body.data.items).toEqual([expect.objectContaining({ action: 'order_shop.created', targetId: String(saved.body.data.id) })]);

    const order = acOrder({ shopId: 'dy-gz', buyer: { name: '周先生', phone: '13900002222', address: '某县某路 9 号' } });
    await orderKit(server).ingest(order);
    const routed = await orderKit(server).orderByPlatformId(admin, order.platformOrderId);
    expect(routed).toMatchObject({ storeId: stores.GZ01, workOrderIds: [expect.any(Number)] });
    expect(routed?.routingNote).toMatch(/shop default/);
  });

  it('refuses a store that does not exist, naming the field, and changes nothing', async () => {
    const reply = await save(admin, { platform: 'douyin', shopId: 'dy-gz', name: '抖店广州旗舰店', defaultStoreId: 999_999 });
    expect(reply.status).toBe(400);
    expect(reply.body.details).toEqual([expect.objectContaining({ path: 'body.defaultStoreId' })]);
    expect((await shops(admin)).find((s) => s.shopId === 'dy-gz')?.defaultStoreId).toBe(stores.GZ01);
  });

  it('keeps a store-scoped operator to the shops and stores of their scope', async () => {
    expect((await save(admin, { platform: 'taobao', shopId: 'tb-sh', name: '淘宝上海店', defaultStoreId: stores.SH01 })).status).toBe(200);
    expect((await shops(operator)).map((s) => s.shopId)).toEqual(['tb-sh']);

    const outside = await save(operator, { platform: 'taobao', shopId: 'tb-sh', name: '淘宝上海店', defaultStoreId: stores.GZ01 });
    expect(outside.status).toBe(403);
    expect(outside.body.details).toEqual([expect.objectContaining({ path: 'body.defaultStoreId' })]);
    const someoneElses = await save(operator, { platform: 'douyin', shopId: 'dy-gz', name: '抖店广州旗舰店', defaultStoreId: stores.SH01 });
    expect(someoneElses.status).toBe(403);
    expect(someoneElses.body.details).toEqual([expect.objectContaining({ path: 'body.shopId' })]);
    expect((await shops(admin)).map((s) => [s.shopId, s.defaultStoreId])).toEqual([
      ['dy-gz', stores.GZ01],
      ['tb-sh', stores.SH01],
    ]);
  });
});
