/**
 * The customers page in a real browser: admin filters the list by a tag (any / all), saves the
 * filter as a segment and opens a customer's detail by clicking its row. Screenshots go to
 * E2E_SCREENSHOT_DIR, or a fresh temp dir (printed). Skipped without /usr/bin/chromium unless
 * REQUIRE_BROWSER=1. The console must be built (npm run build -w admin-web).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

import { seedCustomers } from '../../server/src/modules/customers/customer-list.fixtures';
import { startTestServer } from '../../server/src/testing/test-server';

const CHROMIUM = '/usr/bin/chromium';
const DIST_INDEX = path.resolve(__dirname, '..', 'dist', 'index.html');
const haveBrowser = fs.existsSync(CHROMIUM) && fs.existsSync(DIST_INDEX);
const browserDescribe = haveBrowser || process.env.REQUIRE_BROWSER === '1' ? describe : describe.skip;

declare const document: { querySelectorAll(selector: string): ArrayLike<{ textContent: string | null }>; querySelector(selector: string): unknown };
const sel = (name: string) => `[data-test="${name}"]`;

browserDescribe('customers page in a browser', () => {
  let server: Awaited<ReturnType<typeof startTestServer>> | undefined;
  let context: BrowserContext | undefined;
  let page: Page;
  let userDataDir = '';
  let shotsDir = '';

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
    server = await startTestServer();
    await seedCustomers(server, [
      { name: '界面·VIP老客', store: 'SH01', stage: 'intent', tags: ['界面VIP', '界面老客'], follows: [{ wecomUserid: 'zhangsan', username: 'staff_sh01', remark: '喜欢沙发' }] },
      { name: '界面·VIP新客', store: 'SH01', stage: 'new', tags: ['界面VIP'] },
      { name: '界面·老客', store: 'HZ01', stage: 'deal', tags: ['界面老客'] },
    ]);
    shotsDir = process.env.E2E_SCREENSHOT_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'customers-e2e-shots-'));
    fs.mkdirSync(shotsDir, { recursive: true });
    userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'customers-e2e-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
      viewport: { width: 1440, height: 900 },
      locale: 'zh-CN',
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(15_000);
    console.log(`[customers e2e] screenshots in ${shotsDir}`);
  }, 300_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await server?.stop().catch(() => undefined);
    if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
  }, 60_000);

  test('filters by tag (any, then all), saves the filter as a segment and opens a row', async () => {
    const s = server!;
    await page.goto(`${s.baseUrl}/login`);
    await page.fill(sel('login-username'), 'admin');
    await page.fill(sel('login-password'), s.adminPassword);
    await page.click(sel('login-submit'));
    await page.waitForSelector(sel('side-menu'), { timeout: 20_000 });
    await page.click(sel('menu-customers'));
    await page.waitForSelector(`${sel('customers-table')} ${sel('row-name')}`);

    await pickTag('界面VIP');
    await waitForRows(['界面·VIP老客', '界面·VIP新客']);
    await pickTag('界面老客');
    await waitForRows(['界面·VIP老客', '界面·VIP新客', '界面·老客']);
    await page.click(`${sel('filter-tag-mode')} label:has-text("全部标签")`);
    await waitForRows(['界面·VIP老客']);
    await page.screenshot({ path: path.join(shotsDir, 'customers-filtered-by-tags.png'), fullPage: true });

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
});
