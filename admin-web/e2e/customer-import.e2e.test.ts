/**
 * The import/export page in a real browser against a real server (demo-seeded, background jobs on):
 * an admin uploads a CSV with one bad row through the upload box, watches the import finish in the
 * table (it polls while the import runs), and downloads the error report, the template and an export.
 * Screenshots go to E2E_SCREENSHOT_DIR, or a fresh temp dir (printed).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Page } from 'playwright-core';

import { type TestServer } from '../../server/src/testing/test-server';
import { adminConsoleSession, browserDescribe, login, sel, teardown, waitForTextContaining, type BrowserSession, type Shots } from './browser-kit';

browserDescribe('import')('customer import page in a browser', () => {
  let server: TestServer | undefined;
  let browser: BrowserSession | undefined;
  let page: Page;
  let shots: Shots;

  beforeAll(async () => {
    ({ server, browser, page, shots } = await adminConsoleSession('import', { browser: { acceptDownloads: true, timeout: 20_000 }, login: false }));
  }, 300_000);

  afterAll(() => teardown(server, browser), 60_000);

  test('uploads a csv, shows its progress to the end and serves its error report', async () => {
    const s = server!;
    await login(page, s.baseUrl, 'admin', s.adminPassword);
    await page.goto(`${s.baseUrl}/customer/import`);
    await waitForTextContaining(page, sel('page-title'), '导入导出');
    await page.waitForSelector(sel('export-section'));

    const csv = path.join(shots.dir, '门店客户.csv');
    const rows = ['姓名,手机号,门店编码,阶段', ...Array.from({ length: 30 }, (_, i) => `浏览器客户${i},1380077${String(i).padStart(4, '0')},SH01,有意向`), '坏行,12x,SH01,'];
    fs.writeFileSync(csv, `\ufeff${rows.join('\r\n')}`);
    await page.setInputFiles(`${sel('upload')} input[type=file]`, csv);

    await waitForTextContaining(page, sel('row-file'), '门店客户.csv');
    await waitForTextContaining(page, sel('row-status'), '已完成', 30_000);
    await waitForTextContaining(page, sel('row-counts'), '新建 30');
    await waitForTextContaining(page, sel('row-counts'), '失败 1');
    await shots.take(page, 'customer-import');

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
