/**
 * The admin console in a real browser (Debian's Chromium driven by playwright-core) against a real
 * server on a fresh, demo-seeded database:
 *  - admin and store staff both sign in; their menus differ (users / roles / audit only for admin);
 *  - store staff of SH01 sees only SH01's customers, with masked phone numbers;
 *  - switching the language to en-US turns the menus and page heading English, sets <html lang>
 *    and is saved on the user;
 *  - admin opens the WeCom settings (unconfigured: no corp, sandbox off) and the callback inbox.
 * Screenshots go to E2E_SCREENSHOT_DIR, or a fresh temp dir (printed).
 *
 * Without /usr/bin/chromium the suite is skipped with a warning, unless REQUIRE_BROWSER=1.
 */
import { type Page } from 'playwright-core';

import { startTestServer, type TestServer } from '../../server/src/testing/test-server';
import { browserDescribe, createShots, login, openBrowser, requireBrowserAndConsole, sel, settle, teardown, waitForText, type BrowserSession, type Shots } from './browser-kit';

// The callbacks handed to page.evaluate/waitForFunction run in the browser. The repo's tsconfig has
// no DOM lib (it is for Node code), so describe the little of the page's `document` they use.
interface InPageElement {
  textContent: string | null;
}
declare const document: {
  querySelector(selector: string): InPageElement | null;
  querySelectorAll(selector: string): ArrayLike<InPageElement>;
  documentElement: { lang: string };
};

/* ------------------------------------------------------------------ helpers */

/** Text of every match once the list has settled (same count twice in a row, loading mask gone). */
async function settledTexts(page: Page, selector: string, timeout = 15_000): Promise<string[]> {
  await page.waitForSelector(selector, { timeout });
  await page.waitForFunction(() => !document.querySelector('.el-loading-mask:not([style*="display: none"])'), undefined, { timeout });
  return page.$$eval(selector, (els) => els.map((el) => (el.textContent ?? '').trim()));
}

async function menuKeys(page: Page): Promise<string[]> {
  await page.waitForSelector(sel('side-menu'));
  return page.$$eval('[data-test^="menu-"]', (els) => els.map((el) => el.getAttribute('data-test')!.slice('menu-'.length)));
}

async function logout(page: Page): Promise<void> {
  await page.click(sel('user-menu'));
  await page.click(sel('logout'));
  await page.waitForURL(/\/login/, { timeout: 15_000 });
  await page.waitForSelector(sel('login-username'));
}

async function openMenu(page: Page, key: string, heading: string): Promise<void> {
  await page.click(sel(`menu-${key}`));
  await waitForText(page, sel('page-title'), heading);
}

/* -------------------------------------------------------------------- suite */

browserDescribe('console')('admin console in a browser', () => {
  let server: TestServer | undefined;
  let browser: BrowserSession | undefined;
  let page: Page;
  let shots: Shots;
  const pageErrors: string[] = [];

  const shot = (name: string) => shots.take(page, name);

  beforeAll(async () => {
    requireBrowserAndConsole();
    server = await startTestServer();
    shots = createShots('console');
    browser = await openBrowser('console');
    page = browser.page;
    page.on('pageerror', (err) => pageErrors.push(err.message));
  }, 300_000);

  afterAll(() => teardown(server, browser), 60_000);

  test('admin signs in and sees every menu, including users, roles and audit', async () => {
    const s = server!;
    await page.goto(`${s.baseUrl}/`);
    await page.waitForURL(/\/login/);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    await shot('01-login');

    await login(page, s.baseUrl, 'admin', s.adminPassword);
    const keys = await menuKeys(page);
    for (const key of ['dashboard', 'customers', 'regions', 'stores', 'users', 'roles', 'audit', 'jobs']) expect(keys).toContain(key);
    expect(await page.textContent(sel('header-user-role'))).toContain('系统管理员');

    // dashboard welcome card with live counts
    await page.waitForSelector(sel('dashboard-welcome'));
    await page.waitForFunction(() => /\d/.test(document.querySelector('[data-test="stat-customers"]')?.textContent ?? ''));
    await shot('02-admin-dashboard');

    // admin's customer list spans every store, with full phone numbers
    await openMenu(page, 'customers', '客户列表');
    const names = await settledTexts(page, `${sel('customers-table')} ${sel('row-name')}`);
    for (const city of ['上海', '杭州', '广州', '深圳']) expect(names.some((n) => n.startsWith(city))).toBe(true);
    const phones = await settledTexts(page, `${sel('customers-table')} ${sel('row-phone')}`);
    expect(phones.every((p) => !p.includes('*'))).toBe(true);
    expect(await page.isVisible(sel('export'))).toBe(true);

    await openMenu(page, 'users', '用户');
    await settledTexts(page, `${sel('users-table')} ${sel('row-username')}`);
    await shot('03-admin-users');

    await openMenu(page, 'audit', '审计日志');
    await page.click(sel('audit-verify'));
    await page.waitForSelector(sel('audit-verify-result'));
    expect(await page.getAttribute(sel('audit-verify-result'), 'class')).toContain('el-alert--success');
    await shot('04-admin-audit');

    await logout(page);
  }, 120_000);

  test('store staff of SH01 sees a smaller menu and only SH01 customers, with masked phones', async () => {
    const s = server!;
    await login(page, s.baseUrl, 'staff_sh01', s.demoPassword);
    const keys = await menuKeys(page);
    expect(keys).toContain('customers');
    for (const hidden of ['users', 'roles', 'audit', 'jobs']) expect(keys).not.toContain(hidden);
    expect(await page.textContent(sel('header-user-role'))).toContain('门店员工');

    // a page that is not in the staff's menus is not routable for them
    await page.goto(`${s.baseUrl}/org/users`);
    await page.waitForSelector(sel('page-not-found'));

    await page.goto(`${s.baseUrl}/dashboard`);
    await page.waitForSelector(sel('dashboard-welcome'));
    await openMenu(page, 'customers', '客户列表');
    const names = await settledTexts(page, `${sel('customers-table')} ${sel('row-name')}`);
    expect(names.length).toBeGreaterThan(0);
    expect(names.every((n) => n.startsWith('上海'))).toBe(true);
    expect(names.some((n) => /广州|深圳|杭州/.test(n))).toBe(false);
    const stores = await settledTexts(page, `${sel('customers-table')} ${sel('row-store')}`);
    expect(new Set(stores)).toEqual(new Set(['上海徐汇店']));
    const phones = await settledTexts(page, `${sel('customers-table')} ${sel('row-phone')}`);
    expect(phones.length).toBe(names.length);
    for (const phone of phones) expect(phone).toMatch(/^\d{3}\*{4}\d{4}$/);
    // no customer:export for store staff: the button is hidden
    expect(await page.isVisible(sel('export'))).toBe(false);
    await shot('05-staff-customers');
  }, 120_000);

  test('switching to en-US turns the console English and saves the choice', async () => {
    const s = server!;
    expect((await page.textContent(sel('menu-customers')))?.trim()).toBe('客户列表');

    await page.click(sel('locale-switch'));
    await page.click(sel('locale-option-en-US'));
    await waitForText(page, sel('page-title'), 'Customer list');
    await waitForText(page, sel('menu-customers'), 'Customer list');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en-US');
    expect(await page.textContent(sel('header-user-role'))).toContain('Store staff');
    // element-plus follows too (pagination "Total" text comes from its locale)
    expect(await page.textContent('.el-pagination')).toMatch(/Total/);
    await shot('06-staff-customers-en');

    await openMenu(page, 'dashboard', 'Dashboard');
    await page.waitForFunction(() => /\d/.test(document.querySelector('[data-test="stat-customers"]')?.textContent ?? ''));
    await shot('07-staff-dashboard-en');

    // saved on the user (PATCH /api/auth/me), so a fresh session gets it too
    const signIn = await fetch(`${s.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'staff_sh01', password: s.demoPassword }),
    });
    const { data } = (await signIn.json()) as { data: { token: string } };
    const token = data.token;
    const me = await fetch(`${s.baseUrl}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } });
    const body = (await me.json()) as { data: { user: { locale: string } } };
    expect(body.data.user.locale).toBe('en-US');

    // and it survives a reload (localStorage)
    await page.reload();
    await waitForText(page, sel('page-title'), 'Dashboard');

    expect(pageErrors).toEqual([]);
  }, 120_000);

  test('admin opens the WeCom settings (unconfigured) and the callback inbox', async () => {
    const s = server!;
    await logout(page);
    await login(page, s.baseUrl, 'admin', s.adminPassword);
    // the previous test left en-US in this browser: make sure the console speaks zh-CN again
    if ((await page.evaluate(() => document.documentElement.lang)) !== 'zh-CN') {
      await page.click(sel('locale-switch'));
      await page.click(sel('locale-option-zh-CN'));
      await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
    }
    const keys = await menuKeys(page);
    for (const key of ['wecom-settings', 'wecom-callbacks']) expect(keys).toContain(key);

    await openMenu(page, 'wecom-settings', '企业微信设置');
    await page.waitForSelector(sel('wecom-callback-url'));
    expect((await page.textContent(sel('wecom-callback-url')))?.trim()).toMatch(/^https?:\/\/.+\/wecom\/callback$/);
    // the test server runs with the sandbox off and no corp
    expect(await page.getAttribute(sel('wecom-mode'), 'data-mode')).toBe('unconfigured');
    expect(await page.textContent(sel('wecom-mode'))).toContain('尚未对接企业微信');
    for (const name of ['corpId', 'apiBase', 'callbackToken', 'callbackAesKey', 'contactSecret', 'customerSecret', 'agentId', 'agentSecret']) {
      expect(await page.isVisible(sel(`wecom-input-${name}`))).toBe(true);
    }
    expect((await page.textContent(sel('wecom-source-corpId')))?.trim()).toBe('未设置');
    expect(await page.getAttribute(sel('wecom-input-contactSecret'), 'type')).toBe('password');

    // a bad EncodingAESKey is refused on the field, before anything is sent
    await page.fill(sel('wecom-input-callbackAesKey'), 'too-short');
    await page.click(sel('wecom-save'));
    await page.waitForSelector(`${sel('wecom-field-callbackAesKey')} .el-form-item__error`);
    expect(await page.textContent(`${sel('wecom-field-callbackAesKey')} .el-form-item__error`)).toContain('43');

    // the connection check lists each item; with nothing configured they all fail
    await page.click(sel('wecom-check'));
    await page.waitForSelector(sel('wecom-check-result'));
    expect(await page.getAttribute(sel('wecom-check-result'), 'class')).toContain('el-alert--error');
    expect(await page.isVisible(sel('check-item-callback'))).toBe(true);
    await shot('08-admin-wecom-settings');

    await openMenu(page, 'wecom-callbacks', '企业微信回调');
    await page.waitForSelector(sel('callbacks-table'));
    await settle(page);
    // nothing has called back yet: an empty table (or rows, should a test ever post one)
    const rowCount = (await page.$$(`${sel('callbacks-table')} ${sel('row-id')}`)).length;
    if (rowCount === 0) expect(await page.isVisible(sel('table-empty'))).toBe(true);
    expect(await page.isVisible(sel('filter-kind'))).toBe(true);
    await shot('09-admin-wecom-callbacks');

    expect(pageErrors).toEqual([]);
  }, 120_000);
});
