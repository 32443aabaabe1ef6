import { startTestServer, type TestServer } from '../testing/test-server';
import { waitUntil } from '../testing/wait-until';
import { DEMO_WAREHOUSE, demoShops } from './demo-commerce';
import type { DemoOrders } from './demo-order-slot';
import { startSandboxDemoOrders } from './demo-orders';

interface Order {
  platform: string;
  platformOrderId: string;
  shopId: string;
  status: string;
  storeId: number | null;
  workOrderIds: number[];
}
interface Plugin {
  name: string;
  enabled: boolean;
  settings: Record<string, unknown>;
}

/**
 * Started as `npm start` does without WeCom credentials (sandbox mode, demo organisation, background
 * worker and scheduler on, then the shop-order demo): simulated 抖店 and 淘宝 orders arrive through the connectors, become
 * installation work orders, and reserve their parts in the simulated ERP.
 */
describe('offline shop-order demo in sandbox mode', () => {
  let server: TestServer;
  let demo: DemoOrders | null = null;
  let admin: string;

  beforeAll(async () => {
    server = await startTestServer({
      env: {
        WECOM_SANDBOX: 'auto',
        WECOM_SANDBOX_CUSTOMERS: '5',
        SCHEDULER_ENABLED: 'true',
        // The Taobao connector pulls every minute; every two seconds here.
        CRON_OVERRIDES: JSON.stringify({ 'plugin:taobao:pull-orders': '*/2 * * * * *' }),
      },
    });
    demo = await startSandboxDemoOrders(server.running.services, server.baseUrl);
    admin = await server.login('admin');
  }, 120_000);
  afterAll(async () => {
    await demo?.close();
    await server?.stop();
  });

  const orders = async () => (await server.api<{ data: { items: Order[] } }>('GET', '/api/orders?pageSize=50', { token: admin })).body.data.items;
  const withWorkOrders = async (count: number) => (await orders()).filter((o) => o.workOrderIds.length > 0).length >= count;
  const stock = async (sku: string) => (await server.api<{ available: number }>('GET', `/api/plugins/erp-rest/stock?sku=${sku}`, { token: admin })).body;

  it('receives Douyin and Taobao orders that become work orders with parts reserved in the ERP', async () => {
    await waitUntil(() => withWorkOrders(3), 60_000);
    const placed = await orders();
    expect(placed.map((o) => [o.platform, o.shopId, o.status]).sort()).toEqual([
      ['douyin', demoShops.douyin.shopId, 'paid'],
      ['douyin', demoShops.douyin.shopId, 'paid'],
      ['taobao', demoShops.taobao.shopId, 'paid'],
    ]);
    expect(placed.every((o) => o.storeId !== null)).toBe(true);

    // Each work order passed 配件调拨 (the ERP reservation) and waits at 上门安装.
    const atInstall = async () => (await server.api<{ data: { items: Array<{ currentNodeKey: string }> } }>('GET', '/api/work-orders?pageSize=50', { token: admin })).body.data.items.filter((w) => w.currentNodeKey === 'install').length;
    await waitUntil(async () => (await atInstall()) === 3, 30_000);
    // Two orders are for the 1.5 匹 unit and one for the 3 匹 unit, reserved out of 50 and 20 on hand.
    expect(await stock('AC-KFR35')).toMatchObject({ warehouse: DEMO_WAREHOUSE, available: 48 });
    expect(await stock('AC-KFR72')).toMatchObject({ available: 19 });
  });

  it('configures the plugins against the simulators with their secrets masked', async () => {
    const plugins = (await server.api<{ data: Plugin[] }>('GET', '/api/system/plugins', { token: admin })).body.data;
    const byName = new Map(plugins.map((p) => [p.name, p]));
    for (const name of ['douyin', 'taobao', 'erp-rest']) expect(byName.get(name)?.enabled).toBe(true);
    expect(byName.get('douyin')?.settings.appSecret).toMatch(/^\*+.{4}$/);
    expect(byName.get('erp-rest')?.settings.apiKey).toMatch(/^\*+.{4}$/);
  });

  it('pushes one more simulated order on demand, and names a platform it does not run', async () => {
    const before = (await orders()).length;
    const pushed = await server.api<{ data: { platformOrderId: string; arrives: string } }>('POST', '/api/demo/orders', { token: admin, body: { platform: 'douyin' } });
    expect(pushed.status).toBe(200);
    expect(pushed.body.data.arrives).toBe('now');
    await waitUntil(async () => (await orders()).some((o) => o.platformOrderId === pushed.body.data.platformOrderId && o.workOrderIds.length > 0), 30_000);
    expect((await orders()).length).toBe(before + 1);

    const wrong = await server.api('POST', '/api/demo/orders', { token: admin, body: { platform: 'jd' } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.details).toEqual([expect.objectContaining({ path: 'body.platform' })]);
    const staff = await server.login('manager_sh01');
    expect((await server.api('POST', '/api/demo/orders', { token: staff, body: { platform: 'douyin' } })).status).toBe(403);
  });

  it('stops the simulators when the server stops', async () => {
    const erpUrl = String((await server.api<{ data: Plugin[] }>('GET', '/api/system/plugins', { token: admin })).body.data.find((p) => p.name === 'erp-rest')?.settings.baseUrl);
    expect((await fetch(`${erpUrl}/stock`)).status).toBe(401);
    await demo?.close();
    demo = null;
    await server.stop();
    await expect(fetch(`${erpUrl}/stock`)).rejects.toThrow();
    server = undefined as unknown as TestServer;
  });
});
