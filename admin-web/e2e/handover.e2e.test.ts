/**
 * Browser test of the handover page against a real server with the WeCom sandbox: an admin picks a
 * departed employee, selects their customers and chats, chooses the takeover employee and hands them
 * over; the handovers tab then shows the progress, and a refusal is highlighted in the items.
 * Needs /usr/bin/chromium; the console is built first when missing or stale. Screenshots go to
 * E2E_SCREENSHOT_DIR, or a fresh temp dir (printed).
 */
import { type Page } from 'playwright-core';

import { handoverKit } from '../../server/src/modules/handover/handover-test-kit';
import { startTestServer, type TestServer } from '../../server/src/testing/test-server';
import { browserDescribe, createShots, login, openBrowser, requireBrowserAndConsole, sel, teardown, type BrowserSession, type Shots } from './browser-kit';

browserDescribe('handover')('handover page', () => {
  let server: TestServer;
  let browser: BrowserSession | undefined;
  let page: Page;
  let shots: Shots;
  let leaver: string;
  let heir: string;

  beforeAll(async () => {
    requireBrowserAndConsole();
    server = await startTestServer({ env: { WECOM_SANDBOX: 'auto', WECOM_SANDBOX_CUSTOMERS: '60', JOB_WORKER_ENABLED: 'false' } });
    const kit = handoverKit(server);
    const chats = await kit.chats();
    leaver = chats[0]?.owner as string;
    heir = (await kit.employees()).find((e) => e.userid !== leaver)?.userid as string;
    await kit.linkUser(heir, 'HZ01');
    const leaverId = await kit.linkUser(leaver, 'SH01');
    await kit.mirror(leaver, 'SH01');
    await kit.control('events/employee-left', { userId: leaver });
    await server.running.services.models.User.update({ status: 'disabled', wecom_left_at: new Date() }, { where: { id: leaverId } });
    await kit.settleCallbacks();
    shots = createShots('handover');
    browser = await openBrowser('handover', { timeout: 30_000 });
    page = browser.page;
  }, 300_000);
  afterAll(() => teardown(server, browser), 60_000);

  it('hands a departed employee’s customers and chats over and shows the handover’s progress', async () => {
    await login(page, server.baseUrl, 'admin', server.adminPassword);
    await page.goto(`${server.baseUrl}/customer/handover`);
    await page.waitForSelector(`${sel('departed-table')} .el-table__row`);
    await page.click(`${sel('departed-table')} .el-table__row`);
    await page.waitForSelector(`${sel('assets-customers')} .el-table__row`);
    await page.click(`${sel('assets-customers')} thead .el-checkbox`);
    await page.click(`${sel('assets-groups')} thead .el-checkbox`);
    await page.click(sel('takeover-employee'));
    await page.click(`.el-select-dropdown__item:has-text("(${heir})")`);
    await shots.take(page, 'handover-departed');
    await page.click(sel('transfer-submit'));
    await page.click('.el-message-box .el-button--primary');
    await page.waitForSelector(`${sel('handovers-table')} .el-table__row`);
    expect(await server.running.services.models.Handover.count({ where: { handover_userid: leaver, takeover_userid: heir } })).toBe(1);

    const kit = handoverKit(server);
    const [first] = await kit.customersOf(leaver);
    await kit.control('events/transfers-settled', { status: 3, externalUserIds: [first?.externalUserid] });
    await page.click(sel('refresh'));
    await page.waitForSelector(sel('refused-tag'));
    await page.click(sel('open-items'));
    await page.waitForSelector(`${sel('items-table')} .refused-row`);
    expect(await page.textContent(`${sel('items-table')} .refused-row ${sel('item-reason')}`)).toBe('客户拒绝');
    await shots.take(page, 'handover-records');
  }, 90_000);
});
