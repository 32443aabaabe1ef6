/**
 * Browser test of the tags and group chats pages against a real server with the WeCom sandbox: an
 * admin syncs the tags from WeCom, creates a tag group (which WeCom then holds), syncs the group chats
 * and opens a chat's members in the drawer.
 * Needs /usr/bin/chromium; the console is built first when missing or stale. Screenshots go to
 * E2E_SCREENSHOT_DIR, or a fresh temp dir (printed).
 */
import { type Page } from 'playwright-core';

import { sandboxOf } from '../../server/src/modules/tags/sandbox-fixture';
import { type TestServer } from '../../server/src/testing/test-server';
import { adminConsoleSession, browserDescribe, sel, teardown, type BrowserSession, type Shots } from './browser-kit';

browserDescribe('tags')('tags and group chats pages', () => {
  let server: TestServer;
  let browser: BrowserSession | undefined;
  let page: Page;
  let shots: Shots;

  beforeAll(async () => {
    // The job worker runs, so the sync buttons finish on their own.
    ({ server, browser, page, shots } = await adminConsoleSession('tags', {
      server: { env: { WECOM_SANDBOX: 'auto', WECOM_SANDBOX_CUSTOMERS: '100', JOB_POLL_MS: '100' } },
      browser: { timeout: 30_000 },
    }));
  }, 300_000);
  afterAll(() => teardown(server, browser), 60_000);

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
    await shots.take(page, 'customer-tags');
  }, 60_000);

  it('syncs the group chats and shows a chat’s members in the drawer', async () => {
    await page.goto(`${server.baseUrl}/customer/groups`);
    await page.click(sel('sync'));
    const [chat] = await sandboxOf(server).chats();
    await page.waitForSelector(`${sel('row-name')}:has-text("${chat?.name}")`);
    await page.click(`${sel('row-name')}:has-text("${chat?.name}")`);
    await page.waitForSelector(`${sel('members-table')} .el-table__row`);
    expect(await page.locator(`${sel('members-table')} .el-table__row`).count()).toBe(chat?.members.length);
    await shots.take(page, 'group-chats');
  }, 60_000);
});
