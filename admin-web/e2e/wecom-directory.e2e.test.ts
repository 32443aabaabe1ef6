/**
 * WeCom directory and sign-in in a real browser (Debian's Chromium via playwright-core) against a
 * server running beside the WeCom sandbox:
 *  - admin starts a directory sync from the page and sees the department tree and the members;
 *  - the login page's "企业微信登录" button goes to the sandbox's QR login page; picking an employee
 *    there comes back to /login?code=&state= and signs that employee in.
 * Screenshots go to E2E_SCREENSHOT_DIR, or a fresh temp dir (printed). Skipped without /usr/bin/chromium.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

import { startTestServer } from '../../server/src/testing/test-server';

const CHROMIUM = '/usr/bin/chromium';
const ADMIN_WEB = path.resolve(__dirname, '..');
const haveBrowser = fs.existsSync(CHROMIUM);
const browserDescribe = haveBrowser || process.env.REQUIRE_BROWSER === '1' ? describe : describe.skip;
if (!haveBrowser) console.warn(`[directory e2e] SKIPPED: ${CHROMIUM} not found`);

type TestServer = Awaited<ReturnType<typeof startTestServer>>;
declare const document: { querySelector(selector: string): { textContent: string | null } | null; querySelectorAll(selector: string): ArrayLike<unknown> };

const sel = (name: string) => `[data-test="${name}"]`;

function ensureConsoleBuilt(): void {
  const newest = (target: string): number => {
    const stat = fs.statSync(target);
    return stat.isDirectory() ? Math.max(stat.mtimeMs, ...fs.readdirSync(target).map((e) => newest(path.join(target, e)))) : stat.mtimeMs;
  };
  const index = path.join(ADMIN_WEB, 'dist', 'index.html');
  if (fs.existsSync(index) && fs.statSync(index).mtimeMs >= newest(path.join(ADMIN_WEB, 'src'))) return;
  const viteBin = path.join(path.dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');
  execFileSync(process.execPath, [viteBin, 'build', '--logLevel', 'warn'], { cwd: ADMIN_WEB, stdio: 'inherit', timeout: 240_000 });
}

browserDescribe('WeCom directory and sign-in in a browser', () => {
  let server: TestServer;
  let context: BrowserContext;
  let page: Page;
  let userDataDir = '';
  let shotsDir = '';

  const shot = async (name: string) => {
    await page.waitForFunction(() => !document.querySelector('.el-loading-mask:not([style*="display: none"])'), undefined, { timeout: 10_000 });
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(shotsDir, `${name}.png`), fullPage: true });
  };

  beforeAll(async () => {
    ensureConsoleBuilt();
    server = await startTestServer({ env: { WECOM_SANDBOX: 'auto', WECOM_SANDBOX_CUSTOMERS: '10' } });
    shotsDir = process.env.E2E_SCREENSHOT_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'directory-e2e-shots-'));
    fs.mkdirSync(shotsDir, { recursive: true });
    userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'directory-e2e-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-sync'],
      viewport: { width: 1440, height: 900 },
      locale: 'zh-CN',
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(20_000);
    console.log(`[directory e2e] screenshots in ${shotsDir}`);
  }, 300_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await server?.stop().catch(() => undefined);
    if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
  }, 60_000);

  test('admin syncs the directory from the page and maps the root department', async () => {
    await page.goto(`${server.baseUrl}/login`);
    await page.fill(sel('login-username'), 'admin');
    await page.fill(sel('login-password'), server.adminPassword);
    await page.click(sel('login-submit'));
    await page.waitForSelector(sel('side-menu'));
    await page.goto(`${server.baseUrl}/system/wecom-directory`);
    await page.click(sel('start-sync'));
    await page.waitForFunction(() => document.querySelectorAll('[data-test="department-name"]').length >= 3, undefined, { timeout: 30_000 });
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
    await context.clearCookies();
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
