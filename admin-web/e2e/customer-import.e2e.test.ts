/**
 * The import/export page in a real browser against a real server (demo-seeded, background jobs on):
 * an admin uploads a CSV with one bad row through the upload box, watches the import finish in the
 * table (it polls while the import runs), and downloads the error report, the template and an export.
 * Screenshots go to E2E_SCREENSHOT_DIR, or a fresh temp dir (printed).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

import { startTestServer } from '../../server/src/testing/test-server';

const CHROMIUM = '/usr/bin/chromium';
const ADMIN_WEB = path.resolve(__dirname, '..');
const DIST_INDEX = path.join(ADMIN_WEB, 'dist', 'index.html');
const haveBrowser = fs.existsSync(CHROMIUM);
const browserDescribe = haveBrowser || process.env.REQUIRE_BROWSER === '1' ? describe : describe.skip;

interface InPageElement {
  textContent: string | null;
}
declare const document: { querySelectorAll(selector: string): ArrayLike<InPageElement> };

function newestMtime(target: string): number {
  if (!fs.existsSync(target)) return 0;
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}

function ensureConsoleBuilt(): void {
  const built = fs.existsSync(DIST_INDEX) ? fs.statSync(DIST_INDEX).mtimeMs : 0;
  if (built >= newestMtime(path.join(ADMIN_WEB, 'src'))) return;
  const viteBin = path.join(path.dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');
  execFileSync(process.execPath, [viteBin, 'build', '--logLevel', 'warn'], { cwd: ADMIN_WEB, stdio: 'inherit', timeout: 240_000 });
}

const sel = (name: string) => `[data-test="${name}"]`;

async function waitForText(page: Page, selector: string, expected: string, timeout = 20_000): Promise<void> {
  await page.waitForFunction(
    ([s, text]) => Array.from(document.querySelectorAll(s)).some((el) => (el.textContent ?? '').includes(text)),
    [selector, expected] as const,
    { timeout },
  );
}

browserDescribe('customer import page in a browser', () => {
  let server: Awaited<ReturnType<typeof startTestServer>> | undefined;
  let context: BrowserContext | undefined;
  let page: Page;
  let userDataDir = '';
  let shotsDir = '';

  beforeAll(async () => {
    ensureConsoleBuilt();
    server = await startTestServer();
    shotsDir = process.env.E2E_SCREENSHOT_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'import-e2e-shots-'));
    fs.mkdirSync(shotsDir, { recursive: true });
    userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'import-e2e-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
      viewport: { width: 1440, height: 900 },
      locale: 'zh-CN',
      acceptDownloads: true,
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(20_000);
    console.log(`[import e2e] screenshots in ${shotsDir}`);
  }, 300_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await server?.stop().catch(() => undefined);
    if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
  }, 60_000);

  test('uploads a csv, shows its progress to the end and serves its error report', async () => {
    const s = server!;
    await page.goto(`${s.baseUrl}/login`);
    await page.fill(sel('login-username'), 'admin');
    await page.fill(sel('login-password'), s.adminPassword);
    await page.click(sel('login-submit'));
    await page.waitForSelector(sel('side-menu'));
    await page.goto(`${s.baseUrl}/customer/import`);
    await waitForText(page, sel('page-title'), '导入导出');
    await page.waitForSelector(sel('export-section'));

    const csv = path.join(shotsDir, '门店客户.csv');
    const rows = ['姓名,手机号,门店编码,阶段', ...Array.from({ length: 30 }, (_, i) => `浏览器客户${i},1380077${String(i).padStart(4, '0')},SH01,有意向`), '坏行,12x,SH01,'];
    fs.writeFileSync(csv, `\ufeff${rows.join('\r\n')}`);
    await page.setInputFiles(`${sel('upload')} input[type=file]`, csv);

    await waitForText(page, sel('row-file'), '门店客户.csv');
    await waitForText(page, sel('row-status'), '已完成', 30_000);
    await waitForText(page, sel('row-counts'), '新建 30');
    await waitForText(page, sel('row-counts'), '失败 1');
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(shotsDir, 'customer-import.png'), fullPage: true });

    const [report] = await Promise.all([page.waitForEvent('download'), page.click(sel('errors-csv'))]);
    const reportText = fs.readFileSync((await report.path()) ?? '', 'utf8');
    expect(reportText).toContain('手机号格式不正确');
    expect(reportText).toContain('32');

    await page.click(sel('template'));
    const [template] = await Promise.all([page.waitForEvent('download'), page.click(sel('template-xlsx'))]);
    expect(template.suggestedFilename()).toBe('客户导入模板.xlsx');

    const [exported] = await Promise.all([page.waitForEvent('download'), page.click(sel('export'))]);
    expect(exported.suggestedFilename()).toMatch(/\.xlsx$/);
  }, 120_000);
});
