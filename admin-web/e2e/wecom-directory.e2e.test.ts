/**
 * WeCom directory and sign-in in a real browser (Debian's Chromium via playwright-core) against a
 * server running beside the WeCom sandbox:
 *  - admin starts a directory sync from the page and sees the department tree and the members;
 *  - the login page's "企业微信登录" button goes to the sandbox's QR login page; picking an employee
 *    there comes back to /login?code=&state= and signs that employee in.
 * Screenshots go to E2E_SCREENSHOT_DIR, or a fresh temp dir (printed). Skipped without /usr/bin/chromium
 * unless REQUIRE_BROWSER=1.
 */
import { type Page } from 'playwright-core';

import { startTestServer, type TestServer } from '../../server/src/testing/test-server';
import { browserDescribe, createShots, login, openBrowser, requireBrowserAndConsole, sel, teardown, type BrowserSession, type Shots } from './browser-kit';

declare const document: { querySelector(selector: string): { textContent: string | null } | null; querySelectorAll(selector: string): ArrayLike<unknown> };

browserDescribe('directory')('WeCom directory and sign-in in a browser', () => {
  let server: TestServer;
  let browser: BrowserSession | undefined;
  let page: Page;
  let shots: Shots;

  const shot = (name: string) => shots.take(page, name);

  beforeAll(async () => {
    requireBrowserAndConsole();
    server = await startTestServer({ env: { WECOM_SANDBOX: 'auto', WECOM_SANDBOX_CUSTOMERS: '10' } });
    shots = createShots('directory');
    browser = await openBrowser('directory', { timeout: 20_000 });
    page = browser.page;
  }, 300_000);

  afterAll(() => teardown(server, browser), 60_000);

  test('admin syncs the directory from the page and maps the root department', async () => {
    await login(page, server.baseUrl, 'admin', server.adminPassword);
    await page.goto(`${server.baseUrl}/system/wecom-directory`);
    await page.click(sel('start-sync'));
    // The sync is a background job: on a busy machine it can wait behind the jobs the sandbox's start queued.
    await page.waitForFunction(() => document.querySelectorAll('[data-test="department-name"]').length >= 3, undefined, { timeout: 90_000 });
    await page.waitForFunction(() => /\d/.test(document.querySelector('[data-test="sync-summary"]')?.textContent ?? ''));

    // Map the root department through the API (the selects are exercised by hand), then reload the page.
    const admin = await server.login('admin');
    const stores = await server.api<{ data: { items: Array<{ id: number; code: string }> } }>('GET', '/api/stores?pageSize=100', { token: admin });
    const roles = await server.api<{ data: Array<{ id: number; code: string }> }>('GET', '/api/roles', { token: admin });
    const mapped = await server.api('PUT', '/api/wecom/directory/departments/1/mapping', {
      token: admin,
      body: { storeId: stores.body.data.items.find((s) => s.code === 'SH01')?.id, roleId: roles.body.data.find((r) => r.code === 'store_staff')?.id },
    });
    expect(mapped.status).toBe(200);
    await page.reload();
    await page.waitForFunction(() => document.querySelectorAll('[data-test="employee-userid"]').length > 0);
    await shot('wecom-directory');
  }, 120_000);

  test('the login page signs an employee in by WeCom QR code (sandbox QR page → back with code and state)', async () => {
    const employees = (await (await fetch(`${server.running.sandbox?.url}/__sandbox/state/employees`)).json()) as { employees: Array<{ userid: string; name: string }> };
    const employee = employees.employees[0] as { userid: string; name: string };
    await browser!.context.clearCookies();
    await page.evaluate(() => (globalThis as unknown as { localStorage: { clear(): void } }).localStorage.clear());
    await page.goto(`${server.baseUrl}/login`);
    await page.click(sel('login-wecom'));
    await page.waitForSelector('[data-sandbox-login="qr"]');
    await shot('wecom-qr-page');
    await page.click(`[data-userid="${employee.userid}"]`);
    await page.waitForSelector(sel('side-menu'), { timeout: 30_000 });
    await page.waitForFunction((name) => (document.querySelector('[data-test="header-user-name"]')?.textContent ?? '').includes(name), employee.name);
    expect(page.url()).not.toContain('code=');
    await shot('wecom-signed-in');
  }, 120_000);
});
