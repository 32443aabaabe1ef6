/**
 * Browser test of an order waiting at an asynchronous ERP step (配件调拨 → erp-rest.reserve_parts):
 * while stock is short the step fails for good and the detail page shows 自动处理失败 with the ERP's
 * reason; the admin retries after stock arrived and the order moves on; a second order is skipped
 * with a reason. Needs /usr/bin/chromium and a built console.
 */
import { type Page } from 'playwright-core';

import { STEP_RUN_JOB } from '../../server/src/modules/work-orders/work-order-step-runs';
import { createOrder, publishFlow, storeIdOf } from '../../server/src/modules/work-orders/work-order-test-kit';
import { type TestServer } from '../../server/src/testing/test-server';
import { startErpSimulator, type ErpSimulator } from '../../plugins/erp-rest/src/simulator/erp-simulator';
import { adminConsoleSession, browserDescribe, sel, teardown, waitForText, waitForTextContaining, type BrowserSession, type Shots } from './browser-kit';

const pipe = 'AC-PIPE-3M';

browserDescribe('work-order-automation')('automatic ERP step on the order detail page', () => {
  let server: TestServer;
  let browser: BrowserSession | undefined;
  let page: Page;
  let shots: Shots;
  let erp: ErpSimulator;
  let admin: string;
  let sh01: number;

  beforeAll(async () => {
    erp = await startErpSimulator({ stock: { 'WH-SH': { [pipe]: 1 } }, auth: { apiKey: 'k-e2e' } });
    ({ server, browser, page, shots } = await adminConsoleSession('work-order-automation', {
      server: { env: { JOB_WORKER_ENABLED: 'false' } },
      browser: { timeout: 30_000, viewport: { width: 1440, height: 1000 } },
      async prepare(s) {
        admin = await s.login('admin');
        sh01 = await storeIdOf(s, 'SH01');
        const saved = await s.api('PUT', '/api/system/plugins/erp-rest/settings', { token: admin, body: { settings: { baseUrl: erp.url, apiKey: 'k-e2e', defaultWarehouse: 'WH-SH' } } });
        if (saved.status !== 200) throw new Error(`settings: ${JSON.stringify(saved.body)}`);
        await s.api('POST', '/api/system/plugins/erp-rest/enable', { token: admin });
        await publishFlow(s, admin, 'ac_install_erp', {
          start: 'parts',
          nodes: [
            { key: 'parts', name: '配件调拨', type: 'auto', automation: { step: 'erp-rest.reserve_parts', settings: {} }, escalations: [], edges: [{ to: 'install', priority: 0, isDefault: true }] },
            { key: 'install', name: '上门安装', type: 'task', assignee: { strategy: 'store_manager' }, escalations: [], edges: [{ to: 'done', priority: 0, isDefault: true }] },
            { key: 'done', name: '完成', type: 'end', escalations: [], edges: [] },
          ],
        } as never);
      },
    }));
  }, 300_000);
  afterAll(async () => {
    await teardown(server, browser);
    await erp?.stop();
  }, 60_000);

  /** Runs every attempt of the step at once (the backoff between attempts is brought forward). */
  async function runAllAttempts(): Promise<void> {
    for (let attempt = 0; attempt < 6; attempt += 1) {
      await server.running.services.models.Job.update({ run_at: new Date(Date.now() - 1000) }, { where: { type: STEP_RUN_JOB, status: 'pending' } });
      await server.running.services.queue.drain();
    }
  }
  const newOrder = (quantity: number) => createOrder(server, admin, { flowCode: 'ac_install_erp', storeId: sh01, title: '空调安装', products: [{ sku: pipe, name: '铜管 3m', quantity }] });

  it('shows 自动处理中 while the step waits, then the failure with the ERP reason, and moves on after a retry', async () => {
    const order = await newOrder(3);
    await page.goto(`${server.baseUrl}/work-orders/${order.id}`);
    await waitForText(page, sel('wo-automation-status'), '自动处理中');
    await shots.take(page, 'automation-running');

    await runAllAttempts();
    await page.reload();
    await waitForText(page, sel('wo-automation-status'), '自动处理失败');
    await waitForTextContaining(page, sel('wo-automation-error'), `配件 ${pipe} 在仓库 WH-SH 库存不足：需要 3，可用 1`);
    expect(await page.locator(`${sel('wo-history-item')}[data-type="auto_failed"]`).count()).toBe(1);
    await shots.take(page, 'automation-failed');

    erp.state.receive('WH-SH', pipe, 5);
    await page.click(sel('wo-automation-retry'));
    await waitForText(page, sel('wo-automation-status'), '自动处理中');
    await server.running.services.queue.drain();
    await page.reload();
    await waitForText(page, sel('wo-current-node'), '上门安装');
    expect(await page.locator(sel('wo-automation')).count()).toBe(0);
    expect(erp.state.reservations().filter((r) => r.reference === `wo-${order.id}-parts-1`)).toHaveLength(1);
    await shots.take(page, 'automation-retried');
  });

  it('skips a failed step with a reason; the reason is in the history', async () => {
    const order = await newOrder(20);
    await runAllAttempts();
    await page.goto(`${server.baseUrl}/work-orders/${order.id}`);
    await waitForText(page, sel('wo-automation-status'), '自动处理失败');
    await page.click(sel('wo-automation-skip'));
    await page.fill(sel('wo-automation-skip-reason'), '门店自备配件');
    await shots.take(page, 'automation-skip-dialog');
    await page.click(sel('wo-automation-skip-confirm'));
    await waitForText(page, sel('wo-current-node'), '上门安装');
    await waitForTextContaining(page, `${sel('wo-history-item')}[data-type="auto_skipped"]`, '门店自备配件');
    await shots.take(page, 'automation-skipped');
  });
});
