/**
 * The customers page in a real browser: admin filters the list by a tag (any / all), saves the
 * filter as a segment and opens a customer's detail by clicking its row; then bulk-tags selected
 * customers through the WeCom sandbox and follows the job to its end. Screenshots go to
 * E2E_SCREENSHOT_DIR, or a fresh temp dir (printed). Skipped without /usr/bin/chromium unless
 * REQUIRE_BROWSER=1. The console is built first when missing or stale.
 */
import { type Page } from 'playwright-core';

import { seedCustomers } from '../../server/src/modules/customers/customer-list.fixtures';
import { sandboxOf, seedCustomersFromSandbox } from '../../server/src/modules/tags/sandbox-fixture';
import { startTestServer, type TestServer } from '../../server/src/testing/test-server';
import { browserDescribe, createShots, login, openBrowser, requireBrowserAndConsole, sel, teardown, waitForTextContaining, type BrowserSession, type Shots } from './browser-kit';

declare const document: { querySelectorAll(selector: string): ArrayLike<{ textContent: string | null }>; querySelector(selector: string): unknown };

browserDescribe('customers')('customers page in a browser', () => {
  let server: TestServer | undefined;
  let browser: BrowserSession | undefined;
  let page: Page;
  let shots: Shots;

  /** Row names once the list has settled on `expected`. */
  async function waitForRows(expected: string[]): Promise<void> {
    await page.waitForFunction(
      (names) => {
        const shown = Array.from(document.querySelectorAll('[data-test="customers-table"] [data-test="row-name"]')).map((el) => (el.textContent ?? '').trim());
        return !document.querySelector('.el-loading-mask:not([style*="display: none"])') && JSON.stringify([...shown].sort()) === JSON.stringify([...names].sort());
      },
      expected,
      { timeout: 15_000 },
    );
  }

  async function pickTag(name: string): Promise<void> {
    await page.click(`${sel('filter-tags')} .el-select__wrapper`);
    await page.click(`.el-select-dropdown__item:has-text("${name}")`);
    await page.keyboard.press('Escape');
  }

  beforeAll(async () => {
    requireBrowserAndConsole();
    // The WeCom sandbox takes the tag marks; the job worker runs, so a bulk job finishes on its own.
    server = await startTestServer({ env: { WECOM_SANDBOX: 'auto', WECOM_SANDBOX_CUSTOMERS: '10' } });
    await seedCustomers(server, [
      { name: '界面·VIP老客', store: 'SH01', stage: 'intent', tags: ['界面VIP', '界面老客'], follows: [{ wecomUserid: 'zhangsan', username: 'staff_sh01', remark: '喜欢沙发' }] },
      { name: '界面·VIP新客', store: 'SH01', stage: 'new', tags: ['界面VIP'] },
      { name: '界面·老客', store: 'HZ01', stage: 'deal', tags: ['界面老客'] },
    ]);
    shots = createShots('customers');
    browser = await openBrowser('customers');
    page = browser.page;
  }, 300_000);

  afterAll(() => teardown(server, browser), 60_000);

  test('filters by tag (any, then all), saves the filter as a segment and opens a row', async () => {
    const s = server!;
    await login(page, s.baseUrl, 'admin', s.adminPassword);
    await page.click(sel('menu-customers'));
    await page.waitForSelector(`${sel('customers-table')} ${sel('row-name')}`);

    await pickTag('界面VIP');
    await waitForRows(['界面·VIP老客', '界面·VIP新客']);
    await pickTag('界面老客');
    await waitForRows(['界面·VIP老客', '界面·VIP新客', '界面·老客']);
    await page.click(`${sel('filter-tag-mode')} label:has-text("全部标签")`);
    await waitForRows(['界面·VIP老客']);
    await shots.take(page, 'customers-filtered-by-tags');

    await page.click(sel('segment-save'));
    await page.fill(sel('segment-name'), '界面 VIP 老客');
    await page.click(sel('segment-submit'));
    await page.waitForFunction(() => Array.from(document.querySelectorAll('.el-message')).some((el) => (el.textContent ?? '').includes('分群已保存')));
    const segments = await s.api<{ data: Array<{ name: string; filter: { tagIds: number[]; tagMode: string } }> }>('GET', '/api/customers/segments', { token: await s.login('admin') });
    expect(segments.body.data).toEqual([expect.objectContaining({ name: '界面 VIP 老客', filter: expect.objectContaining({ tagMode: 'all' }) })]);
    expect(segments.body.data[0]?.filter.tagIds).toHaveLength(2);

    await page.click(`${sel('customers-table')} ${sel('row-name')}`);
    await page.waitForURL(/\/customers\/\d+$/);
  }, 120_000);

  test('bulk-tags the selected customers in WeCom, shows the progress and refusals, then the tag filter finds them', async () => {
    const s = server!;
    const admin = await s.login('admin');
    const group = await s.api<{ data: { tags: Array<{ name: string; wecomTagId: string }> } }>('POST', '/api/tags/groups', { token: admin, body: { name: '界面批量组', tags: ['界面批量'] } });
    expect(group.status).toBe(200);
    const { contacts } = await seedCustomersFromSandbox(s, 2, () => 'SH01');
    const names = contacts.map((c) => c.name);

    await page.goto(`${s.baseUrl}/customers`);
    await page.waitForSelector(`${sel('customers-table')} ${sel('row-name')}`);
    // '界面·老客' has no follow relation in WeCom: WeCom cannot hold its tag, the job reports it.
    for (const name of [...names, '界面·老客']) {
      await page.click(`${sel('customers-table')} .el-table__row:has(${sel('row-name')}:text-is("${name}")) .el-checkbox`);
    }
    await waitForTextContaining(page, sel('bulk-tag'), '3');
    await page.click(sel('bulk-tag'));
    await page.click(`${sel('bulk-add')} .el-select__wrapper`);
    await page.click('.el-select-dropdown__item:visible:has-text("界面批量")');
    await page.keyboard.press('Escape');
    await page.click(sel('bulk-submit'));
    await waitForTextContaining(page, sel('bulk-status'), '成功 2 位，失败 1 位', 30_000);
    await waitForTextContaining(page, sel('bulk-failures'), '界面·老客');
    await shots.take(page, 'customers-bulk-tag', '.el-dialog');
    await page.click(sel('bulk-close'));

    const wecomTagId = group.body.data.tags[0]!.wecomTagId;
    for (const contact of contacts) expect((await sandboxOf(s).customer(contact.externalUserid))?.follows.flatMap((f) => f.tagIds)).toContain(wecomTagId);
    await pickTag('界面批量');
    await waitForRows(names);
    await shots.take(page, 'customers-filtered-by-bulk-tag');
  }, 120_000);
});
