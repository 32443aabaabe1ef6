/**
 * Browser test of the tags and group chats pages against a real server with the WeCom sandbox: an
 * admin syncs the tags from WeCom, creates a tag group (which WeCom then holds), syncs the group chats
 * and opens a chat's members in the drawer.
 * Needs the built console (npm run build -w admin-web) and /usr/bin/chromium.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

import { sandboxOf } from '../../server/src/modules/tags/sandbox-fixture';
import { startTestServer } from '../../server/src/testing/test-server';

const CHROMIUM = '/usr/bin/chromium';
const DIST_INDEX = path.resolve(__dirname, '..', 'dist', 'index.html');
const runnable = fs.existsSync(CHROMIUM) && fs.existsSync(DIST_INDEX);
if (!runnable) console.warn('[tags e2e] SKIPPED: needs /usr/bin/chromium and a built console');
const browserDescribe = runnable ? describe : describe.skip;
const sel = (id: string) => `[data-test="${id}"]`;
const shots = process.env.SCREENSHOT_DIR ?? '/tmp';

browserDescribe('tags and group chats pages', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    // The job worker runs, so the sync buttons finish on their own.
    server = await startTestServer({ env: { WECOM_SANDBOX: 'auto', WECOM_SANDBOX_CUSTOMERS: '100', JOB_POLL_MS: '100' } });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
    page = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })).newPage();
    await page.goto(`${server.baseUrl}/login`);
    await page.fill(sel('login-username'), 'admin');
    await page.fill(sel('login-password'), server.adminPassword);
    await page.click(sel('login-submit'));
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('syncs the tags from WeCom and creates a tag group that WeCom then holds', async () => {
    await page.goto(`${server.baseUrl}/customer/tags`);
    await page.click(sel('sync'));
    const sandbox = sandboxOf(server);
    const [firstGroup] = await sandbox.liveTagGroups();
    await page.waitForSelector(`${sel('group-name')}:has-text("${firstGroup?.groupName}")`);
    await page.click(sel('create-group'));
    await page.fill(sel('form-group-name'), '会员等级');
    await page.fill(sel('form-tags'), '金卡，银卡');
    await page.click(sel('form-submit'));
    await page.waitForSelector(`${sel('group-name')}:has-text("会员等级")`);
    expect((await sandbox.liveTagGroups()).find((g) => g.groupName === '会员等级')?.tags.map((t) => t.name).sort()).toEqual(['金卡', '银卡']);
    await page.screenshot({ path: path.join(shots, 'customer-tags.png'), fullPage: true });
  }, 60_000);

  it('syncs the group chats and shows a chat’s members in the drawer', async () => {
    await page.goto(`${server.baseUrl}/customer/groups`);
    await page.click(sel('sync'));
    const [chat] = await sandboxOf(server).chats();
    await page.waitForSelector(`${sel('row-name')}:has-text("${chat?.name}")`);
    await page.click(`${sel('row-name')}:has-text("${chat?.name}")`);
    await page.waitForSelector(`${sel('members-table')} .el-table__row`);
    expect(await page.locator(`${sel('members-table')} .el-table__row`).count()).toBe(chat?.members.length);
    await page.screenshot({ path: path.join(shots, 'group-chats.png'), fullPage: true });
  }, 60_000);
});
