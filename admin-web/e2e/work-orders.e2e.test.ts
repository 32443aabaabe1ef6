/**
 * Browser test of the work order pages against a real server: an admin creates an installation order
 * from the console (customer picked by search, store, service item), finds it in the list, opens it,
 * is first refused without the required form values, then completes 需求确认 and sees the history and
 * the current node advance; the dashboard draws the open-orders-per-node chart.
 * Needs /usr/bin/chromium; the console is built first when missing or stale. Screenshots go to
 * E2E_SCREENSHOT_DIR, or a fresh temp dir (printed).
 */
import { type Page } from 'playwright-core';

import { type TestServer } from '../../server/src/testing/test-server';
import { adminConsoleSession, browserDescribe, pickOption, sel, settle, teardown, waitForText, waitForTextContaining, type BrowserSession, type Shots } from './browser-kit';

browserDescribe('work-orders')('work order console', () => {
  let server: TestServer;
  let browser: BrowserSession | undefined;
  let page: Page;
  let shots: Shots;
  let orderId: number;

  beforeAll(async () => {
    ({ server, browser, page, shots } = await adminConsoleSession('work-orders', {
      browser: { timeout: 30_000, viewport: { width: 1440, height: 1000 } },
      async prepare(server) {
        const admin = await server.login('admin');
        const store = await server.running.services.models.Store.findOne({ where: { code: 'SH01' }, raw: true });
        const created = await server.api('POST', '/api/customers', { token: admin, body: { name: '王安装', phone: '13800001111', address: '上海市徐汇区漕溪北路 88 号', storeId: Number(store?.id) } });
        if (created.status !== 200) throw new Error(`customer: ${JSON.stringify(created.body)}`);
      },
    }));
  }, 300_000);
  afterAll(() => teardown(server, browser), 60_000);

  const pick = (within: string, option: string, type?: string) => pickOption(page, within, option, type);

  it('creates an order from the console and finds it in the list', async () => {
    await page.goto(`${server.baseUrl}/work-orders`);
    await page.waitForSelector(sel('wo-table'));
    await page.click(sel('wo-create'));
    await page.waitForSelector(`${sel('wo-create-dialog')} ${sel('wo-create-flow')}`);
    await pick(sel('wo-create-flow'), '智能家居安装');
    await pick(sel('wo-create-customer'), '王安装', '王安');
    // The customer's store fills in by itself.
    await waitForTextContaining(page, sel('wo-create-store'), '上海徐汇店');
    await page.fill(sel('wo-create-title'), '客厅智能门锁安装');
    await page.click(sel('wo-add-service'));
    await page.fill(`${sel('wo-service-line')} input >> nth=0`, '门锁安装');
    await shots.take(page, 'work-order-create');
    await page.click(sel('wo-create-submit'));
    await page.waitForURL(/\/work-orders\/\d+$/);
    orderId = Number(/(\d+)$/.exec(page.url())?.[1]);
    await waitForText(page, sel('wo-current-node'), '需求确认');

    await page.goto(`${server.baseUrl}/work-orders`);
    await page.waitForSelector(`${sel('wo-table')} .el-table__row`);
    const order = await server.running.services.models.WorkOrder.findByPk(orderId, { raw: true });
    await waitForText(page, `${sel('wo-table')} .el-table__row:first-child ${sel('wo-row-no')}`, String(order?.order_no));
    await waitForText(page, `${sel('wo-table')} .el-table__row:first-child ${sel('wo-row-node')}`, '需求确认');
    expect(await page.locator(`${sel('wo-table')} .el-table__row >> nth=0`).textContent()).toContain('王安装');
    await shots.take(page, 'work-order-list');
  }, 90_000);

  it('completes 需求确认 from the detail page and the history advances', async () => {
    await page.click(`${sel('wo-table')} .el-table__row >> nth=0`);
    await page.waitForURL(new RegExp(`/work-orders/${orderId}$`));
    await page.waitForSelector(sel('wo-task'));
    const before = await page.locator(sel('wo-history-item')).count();

    // the server refuses a completion without the required form values, and says why
    await page.click(sel('wo-complete'));
    await page.waitForSelector(sel('wo-task-error'));
    expect(await page.locator(sel('wo-task-error')).textContent()).toContain('需求确认');

    await page.fill(`[data-field="install_items"] input`, '智能门锁 ×1');
    await page.click(`[data-field="needs_parts"] ${sel('wo-bool-yes')}`);
    await shots.take(page, 'work-order-task');
    await page.click(sel('wo-complete'));
    await waitForText(page, sel('wo-current-node'), '配件调拨');
    await page.waitForSelector(`${sel('wo-history-item')}[data-type="transitioned"]`);
    expect(await page.locator(sel('wo-history-item')).count()).toBeGreaterThan(before);
    expect(await page.locator(`${sel('wo-history-item')}[data-type="completed"]`).textContent()).toContain('需求确认');
    const events = await server.running.services.models.WorkOrderEvent.findAll({ where: { work_order_id: orderId }, order: [['id', 'ASC']], raw: true });
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['created', 'completed', 'transitioned']));
    expect(events.filter((e) => e.type === 'completed')).toHaveLength(1);
    await settle(page);
    await shots.take(page, 'work-order-detail');
  }, 90_000);

  it('shows the open orders per node on the dashboard chart', async () => {
    await page.goto(`${server.baseUrl}/work-orders`);
    await page.click('.el-tabs__item:has-text("看板")');
    await page.waitForSelector(`${sel('wo-node-chart')} canvas`);
    await page.waitForSelector(`${sel('wo-store-chart')} canvas`);
    const size = await page.locator(`${sel('wo-node-chart')} canvas`).boundingBox();
    expect(size?.width).toBeGreaterThan(300);
    await settle(page);
    await shots.take(page, 'work-order-dashboard');
  }, 60_000);
});
