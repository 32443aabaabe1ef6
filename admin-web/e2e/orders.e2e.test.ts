/**
 * Browser test of the order pages against a real server: an admin adds an order rule with the
 * condition pickers; a paid order taken in afterwards is listed with its store and work order.
 * Needs /usr/bin/chromium; the console is built first when missing or stale.
 */
import { type Page } from 'playwright-core';

import { acOrder, orderKit } from '../../server/src/modules/orders/order-test-kit';
import { type TestServer } from '../../server/src/testing/test-server';
import { adminConsoleSession, browserDescribe, pickOption, sel, teardown, waitForTextContaining, type BrowserSession, type Shots } from './browser-kit';

browserDescribe('orders')('order rules and orders pages', () => {
  let server: TestServer;
  let browser: BrowserSession | undefined;
  let page: Page;
  let shots: Shots;

  beforeAll(async () => {
    ({ server, browser, page, shots } = await adminConsoleSession('orders', {
      browser: { timeout: 30_000, viewport: { width: 1440, height: 1000 } },
      prepare: async (s) => orderKit(s).placeStores(await s.login('admin')),
    }));
  }, 300_000);
  afterAll(() => teardown(server, browser), 60_000);

  it('adds an air-conditioner rule with the pickers', async () => {
    await page.goto(`${server.baseUrl}/orders/rules`);
    await page.click(sel('order-rule-add'));
    await page.fill(sel('order-rule-name'), '空调安装');
    await pickOption(page, sel('order-rule-flow'), '智能家居安装');
    await shots.take(page, 'order-rule-editor');
    await page.click(sel('order-rule-save'));
    await waitForTextContaining(page, sel('order-rules-table'), '空调安装');
    await waitForTextContaining(page, sel('order-rules-table'), '商品品类 包含 air_conditioner');
    const [rule] = await server.running.services.orders.rules.listRules();
    expect(rule).toMatchObject({ name: '空调安装', flowCode: 'installation', storeStrategy: 'nearest', conditions: { all: [{ fact: 'categories', operator: 'contains', value: 'air_conditioner' }] } });
    await shots.take(page, 'order-rules');
  }, 60_000);

  it('lists a paid order with the store and work order it was routed to', async () => {
    const order = acOrder({ platformOrderId: 'DY-E2E-0001' });
    await orderKit(server).ingest(order);
    await page.goto(`${server.baseUrl}/orders`);
    await waitForTextContaining(page, sel('orders-table'), 'DY-E2E-0001');
    await waitForTextContaining(page, sel('orders-table'), '杭州西湖店');
    await waitForTextContaining(page, sel('orders-table'), '已付款');
    await shots.take(page, 'orders');
  }, 60_000);
});
