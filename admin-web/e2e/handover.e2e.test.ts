/**
 * Browser test of the handover page against a real server with the WeCom sandbox: an admin picks a
 * departed employee, selects their customers and chats, chooses the takeover employee and hands them
 * over; the handovers tab then shows the progress, and a refusal is highlighted in the items.
 * Needs the built console (npm run build -w admin-web) and /usr/bin/chromium.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

import { handoverKit } from '../../server/src/modules/handover/handover-test-kit';
import { startTestServer } from '../../server/src/testing/test-server';

const CHROMIUM = '/usr/bin/chromium';
const DIST_INDEX = path.resolve(__dirname, '..', 'dist', 'index.html');
const runnable = fs.existsSync(CHROMIUM) && fs.existsSync(DIST_INDEX);
if (!runnable) console.warn('[handover e2e] SKIPPED: needs /usr/bin/chromium and a built console');
const browserDescribe = runnable ? describe : describe.skip;
const sel = (id: string) => `[data-test="${id}"]`;

browserDescribe('handover page', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: Browser;
  let page: Page;
  let leaver: string;
  let heir: string;

  beforeAll(async () => {
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
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
    page = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })).newPage();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('hands a departed employee’s customers and chats over and shows the handover’s progress', async () => {
    await page.goto(`${server.baseUrl}/login`);
    await page.fill(sel('login-username'), 'admin');
    await page.fill(sel('login-password'), server.adminPassword);
    await page.click(sel('login-submit'));
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
    await page.goto(`${server.baseUrl}/customer/handover`);
    await page.waitForSelector(`${sel('departed-table')} .el-table__row`);
    await page.click(`${sel('departed-table')} .el-table__row`);
    await page.waitForSelector(`${sel('assets-customers')} .el-table__row`);
    await page.click(`${sel('assets-customers')} thead .el-checkbox`);
    await page.click(`${sel('assets-groups')} thead .el-checkbox`);
    await page.click(sel('takeover-employee'));
    await page.click(`.el-select-dropdown__item:has-text("(${heir})")`);
    await page.screenshot({ path: path.join(process.env.SCREENSHOT_DIR ?? '/tmp', 'handover-departed.png'), fullPage: true });
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
    await page.screenshot({ path: path.join(process.env.SCREENSHOT_DIR ?? '/tmp', 'handover-records.png'), fullPage: true });
  }, 90_000);
});
