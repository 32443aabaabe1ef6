/**
 * The customer 360 pages in a real browser: the detail page (profile, tags, follow users, stage,
 * custom fields, notes and timeline), reached at /customers/:id though the menu does not list it, and
 * the settings page's stages and duplicates tabs, where a merge happens.
 *
 * Needs /usr/bin/chromium and a built console (built here when missing or stale). Set SCREENSHOT_DIR
 * to keep screenshots of the pages.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

import { customerFixtures } from '../../server/src/modules/customers/customer-360.fixtures';
import { startTestServer, type TestServer } from '../../server/src/testing/test-server';

const CHROMIUM = '/usr/bin/chromium';
const ADMIN_WEB = path.resolve(__dirname, '..');
const DIST_INDEX = path.join(ADMIN_WEB, 'dist', 'index.html');
const browserDescribe = fs.existsSync(CHROMIUM) || process.env.REQUIRE_BROWSER === '1' ? describe : describe.skip;

declare const document: { querySelectorAll(selector: string): ArrayLike<{ textContent: string | null }> };

function newestMtime(target: string): number {
  if (!fs.existsSync(target)) return 0;
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return fs.readdirSync(target).reduce((newest, entry) => Math.max(newest, newestMtime(path.join(target, entry))), stat.mtimeMs);
}

function ensureConsoleBuilt(): void {
  const built = fs.existsSync(DIST_INDEX) ? fs.statSync(DIST_INDEX).mtimeMs : 0;
  if (built >= newestMtime(path.join(ADMIN_WEB, 'src'))) return;
  const viteBin = path.join(path.dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');
  execFileSync(process.execPath, [viteBin, 'build', '--logLevel', 'warn'], { cwd: ADMIN_WEB, stdio: 'inherit', timeout: 240_000 });
}

const sel = (name: string) => `[data-test="${name}"]`;

async function waitForText(page: Page, selector: string, text: string): Promise<void> {
  await page.waitForFunction(([s, t]) => Array.from(document.querySelectorAll(s)).some((el) => (el.textContent ?? '').includes(t)), [selector, text] as const, { timeout: 15_000 });
}

async function shot(page: Page, name: string): Promise<void> {
  if (!process.env.SCREENSHOT_DIR) return;
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(process.env.SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

browserDescribe('customer 360 pages in a browser', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let customerId: number;
  let duplicateId: number;

  beforeAll(async () => {
    ensureConsoleBuilt();
    server = await startTestServer();
    const fx = customerFixtures(server);
    const sh01 = await fx.storeId('SH01');
    await fx.linkEmployee('staff_sh01', 'wx_staff');
    customerId = await fx.customer({ name: '周女士', storeId: sh01, phone: '13812345678', address: '上海市徐汇区漕溪北路 200 号', external_userid: 'wm_zhou', unionid: 'union_zhou' });
    duplicateId = await fx.customer({ name: '周女士（导入）', storeId: sh01, unionid: 'union_zhou' });
    await fx.follow(customerId, 'wx_staff', { remark: '周姐', description: '想换沙发', add_way: 1, mobiles: ['13812345678'] });
    await fx.mark(customerId, await fx.tag('客户等级', 'VIP'), 'wx_staff');
    await fx.groupChat('wr_zhou', '徐汇老客户群', [{ customerId, memberId: 'wm_zhou' }]);
    await fx.note(duplicateId, '导入时备注');
    const admin = await server.login('admin');
    await server.api('POST', '/api/customer-fields', { token: admin, body: { key: 'budget', label: '预算', type: 'number' } });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
    page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    await page.goto(`${server.baseUrl}/login`);
    await page.fill(sel('login-username'), 'admin');
    await page.fill(sel('login-password'), server.adminPassword);
    await page.click(sel('login-submit'));
    await page.waitForSelector(sel('side-menu'));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('opens the detail page at /customers/:id without listing it in the menu', async () => {
    expect(await page.$$(sel('menu-customer-detail'))).toHaveLength(0);
    await page.goto(`${server.baseUrl}/customers/${customerId}`);
    await waitForText(page, sel('profile-name'), '周女士');
    await waitForText(page, sel('profile-phone'), '13812345678');
    await waitForText(page, sel('tag'), 'VIP');
    await waitForText(page, sel('follow-employee'), '徐汇店员小王');
    await waitForText(page, sel('groups'), '徐汇老客户群');
  });

  it('changes the stage, saves a custom field and adds a note that appears on the timeline', async () => {
    await page.click(sel('stage-select'));
    await page.click('.el-select-dropdown__item:has-text("有意向")');
    await page.fill(`input${sel('field-budget')}, ${sel('field-budget')} input`, '30000');
    await page.click(sel('save-fields'));
    await page.fill(`textarea${sel('note-input')}, ${sel('note-input')} textarea`, '周六到店看沙发');
    await page.click(sel('note-submit'));
    await waitForText(page, sel('note-item'), '周六到店看沙发');
    await page.click('.el-tabs__item:has-text("客户动态")');
    await waitForText(page, sel('timeline-item'), '周六到店看沙发');
    await waitForText(page, sel('timeline-item'), '阶段：新客户 → 有意向');
    await waitForText(page, sel('timeline-item'), '修改了自定义字段：预算');
    await page.click('.el-tabs__item:has-text("跟进记录")');
    await shot(page, 'customer-detail');
  });

  it('edits stages and merges a proposed duplicate on the settings page', async () => {
    await page.goto(`${server.baseUrl}/customer/settings`);
    await waitForText(page, sel('stages-table'), 'repurchase');
    await shot(page, 'customer-settings-stages');
    await page.click('.el-tabs__item:has-text("重复客户")');
    await waitForText(page, sel('duplicate-group'), '周女士（导入）');
    await shot(page, 'customer-settings-duplicates');
    await page.click(sel('merge'));
    await page.click('.el-message-box__btns .el-button--danger');
    await waitForText(page, '.el-empty__description', '没有发现重复客户');
    const notes = await server.api<{ data: { items: Array<{ body: string }> } }>('GET', `/api/customers/${customerId}/notes`, { token: await server.login('admin') });
    expect(notes.body.data.items.map((n) => n.body)).toContain('导入时备注');
  });
});
