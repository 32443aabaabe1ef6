/**
 * 店铺与默认门店 in the console, started in sandbox mode with the offline shop-order demo (as `npm start` runs it): its
 * shops are listed per platform, a shop's default store is changed from the table, a shop is added,
 * and one more simulated Douyin order is pushed from the page and arrives. The demo's ERP plugin
 * page (配件库存查询) looks stock up through its declared route.
 * Screenshots go to E2E_SCREENSHOT_DIR, or a fresh temp dir (printed).
 */
import type { DemoOrders } from '../../server/src/seed/demo-order-slot';
import { startSandboxDemoOrders } from '../../server/src/seed/demo-orders';
import { waitUntil } from '../../server/src/testing/wait-until';
import { adminConsoleSession, browserDescribe, pickOption, sel, teardown, waitForTextContaining, type AdminConsoleSession } from './browser-kit';

interface Shop {
  platform: string;
  shopId: string;
  name: string;
  defaultStoreId: number | null;
}

browserDescribe('order-shops')('店铺与默认门店: shops per platform, default stores, demo orders', () => {
  let session: AdminConsoleSession | undefined;
  let demo: DemoOrders | null = null;
  let admin = '';
  const pageErrors: string[] = [];

  beforeAll(async () => {
    session = await adminConsoleSession('order-shops', { server: { env: { WECOM_SANDBOX: 'auto', WECOM_SANDBOX_CUSTOMERS: '5' } } });
    admin = await session.server.login('admin');
    session.page.on('pageerror', (err) => pageErrors.push(err.message));
    demo = await startSandboxDemoOrders(session.server.running.services, session.server.baseUrl);
    await demo?.ready;
  }, 300_000);

  afterAll(async () => {
    await demo?.close();
    await teardown(session?.server, session?.browser);
  }, 60_000);

  const shops = async () => (await session!.server.api<{ data: Shop[] }>('GET', '/api/order-shops', { token: admin })).body.data;
  const storeId = async (code: string) => (await session!.server.api<{ data: { items: Array<{ id: number; code: string }> } }>('GET', '/api/stores?pageSize=50', { token: admin })).body.data.items.find((s) => s.code === code)!.id;

  test('an admin sets default stores, adds a shop and pushes a simulated order', async () => {
    const { page, server, shots } = session!;
    await page.goto(`${server.baseUrl}/orders/shops`);
    await page.waitForSelector(sel('shops-table'));
    await waitForTextContaining(page, sel('shops-table'), '天猫·空调专营店（演示）');
    await shots.take(page, '01-shops');

    await pickOption(page, sel('shop-store-taobao-taobao-demo'), '广州天河店');
    await waitForTextContaining(page, '.el-message--success', '天猫·空调专营店（演示）');
    expect((await shops()).find((s) => s.shopId === 'taobao-demo')?.defaultStoreId).toBe(await storeId('GZ01'));

    await page.click(sel('shop-add'));
    await page.waitForSelector(sel('shop-dialog'));
    await page.fill(sel('shop-draft-id'), 'jd-sz-01');
    await page.fill(sel('shop-draft-name'), '京东深圳店');
    await pickOption(page, sel('shop-draft-platform'), '京东');
    await pickOption(page, sel('shop-draft-store'), '深圳南山店');
    await shots.take(page, '02-add-shop', '.el-dialog');
    await page.click(sel('shop-draft-save'));
    await waitForTextContaining(page, '.el-message--success', '京东深圳店');
    expect((await shops()).find((s) => s.shopId === 'jd-sz-01')).toMatchObject({ platform: 'jd', name: '京东深圳店', defaultStoreId: await storeId('SZ01') });

    await page.click(`${sel('shops-platform')} label:has-text("京东")`);
    await waitForTextContaining(page, sel('shops-table'), '京东深圳店');
    expect(await page.locator(`${sel('shops-table')} .el-table__row`).count()).toBe(1);

    const ordersBefore = (await server.api<{ data: { total: number } }>('GET', '/api/orders', { token: admin })).body.data.total;
    await page.hover(sel('demo-order'));
    await page.click(sel('demo-order-douyin'));
    await waitForTextContaining(page, '.el-message--success', '模拟订单');
    await shots.take(page, '03-demo-order-pushed');
    await waitUntil(async () => (await server.api<{ data: { total: number } }>('GET', '/api/orders', { token: admin })).body.data.total === ordersBefore + 1, 30_000);
    expect(pageErrors).toEqual([]);
  }, 120_000);

  test("the demo's ERP plugin page looks up spare-parts stock with its query fields", async () => {
    const { page, server, shots } = session!;
    await page.goto(`${server.baseUrl}/plugins/erp-rest/stock`);
    await page.waitForSelector(sel('plugin-view'));
    expect(await page.isDisabled(sel('plugin-query-run'))).toBe(true);
    await page.fill(sel('plugin-query-sku'), 'AC-KFR35');
    await page.click(sel('plugin-query-run'));
    await waitForTextContaining(page, sel('plugin-view-table'), 'WH-DEMO');
    const available = (await server.api<{ available: number }>('GET', '/api/plugins/erp-rest/stock?sku=AC-KFR35', { token: admin })).body.available;
    await waitForTextContaining(page, sel('plugin-view-table'), String(available));
    await shots.take(page, '04-erp-stock-page');
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
