/**
 * The customer 360 pages in a real browser: the detail page (profile, tags, follow users, stage,
 * custom fields, notes and timeline), reached at /customers/:id though the menu does not list it, and
 * the settings page's stages and duplicates tabs, where a merge happens; tags edited on the detail page
 * go to the WeCom sandbox and show in the tags card and on the timeline.
 *
 * Needs /usr/bin/chromium and a built console (built here when missing or stale). Screenshots go to
 * E2E_SCREENSHOT_DIR, or a fresh temp dir (printed).
 */
import { type Page } from 'playwright-core';

import { customerFixtures } from '../../server/src/modules/customers/customer-360.fixtures';
import { sandboxOf, seedCustomersFromSandbox } from '../../server/src/modules/tags/sandbox-fixture';
import { startTestServer, type TestServer } from '../../server/src/testing/test-server';
import { browserDescribe, createShots, login, openBrowser, requireBrowserAndConsole, sel, teardown, waitForTextContaining, type BrowserSession, type Shots } from './browser-kit';

browserDescribe('customer-360')('customer 360 pages in a browser', () => {
  let server: TestServer;
  let browser: BrowserSession | undefined;
  let page: Page;
  let shots: Shots;
  let customerId: number;
  let duplicateId: number;

  beforeAll(async () => {
    requireBrowserAndConsole();
    // The WeCom sandbox takes the tag marks made on the detail page.
    server = await startTestServer({ env: { WECOM_SANDBOX: 'auto', WECOM_SANDBOX_CUSTOMERS: '10' } });
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
    shots = createShots('customer-360');
    browser = await openBrowser('customer-360');
    page = browser.page;
    await login(page, server.baseUrl, 'admin', server.adminPassword);
  }, 300_000);
  afterAll(() => teardown(server, browser), 60_000);

  it('opens the detail page at /customers/:id without listing it in the menu', async () => {
    expect(await page.$$(sel('menu-customer-detail'))).toHaveLength(0);
    await page.goto(`${server.baseUrl}/customers/${customerId}`);
    await waitForTextContaining(page, sel('profile-name'), '周女士');
    await waitForTextContaining(page, sel('profile-phone'), '13812345678');
    await waitForTextContaining(page, sel('tag'), 'VIP');
    await waitForTextContaining(page, sel('follow-employee'), '徐汇店员小王');
    await waitForTextContaining(page, sel('groups'), '徐汇老客户群');
  });

  it('changes the stage, saves a custom field and adds a note that appears on the timeline', async () => {
    await page.click(sel('stage-select'));
    await page.click('.el-select-dropdown__item:has-text("有意向")');
    await page.fill(`input${sel('field-budget')}, ${sel('field-budget')} input`, '30000');
    await page.click(sel('save-fields'));
    await page.fill(`textarea${sel('note-input')}, ${sel('note-input')} textarea`, '周六到店看沙发');
    await page.click(sel('note-submit'));
    await waitForTextContaining(page, sel('note-item'), '周六到店看沙发');
    await page.click('.el-tabs__item:has-text("客户动态")');
    await waitForTextContaining(page, sel('timeline-item'), '周六到店看沙发');
    await waitForTextContaining(page, sel('timeline-item'), '阶段：新客户 → 有意向');
    await waitForTextContaining(page, sel('timeline-item'), '修改了自定义字段：预算');
    await page.click('.el-tabs__item:has-text("跟进记录")');
    await shots.take(page, 'customer-detail');
  });

  it('edits stages and merges a proposed duplicate on the settings page', async () => {
    await page.goto(`${server.baseUrl}/customer/settings`);
    await waitForTextContaining(page, sel('stages-table'), 'repurchase');
    await shots.take(page, 'customer-settings-stages');
    await page.click('.el-tabs__item:has-text("重复客户")');
    await waitForTextContaining(page, sel('duplicate-group'), '周女士（导入）');
    await shots.take(page, 'customer-settings-duplicates');
    await page.click(sel('merge'));
    await page.click('.el-message-box__btns .el-button--danger');
    await waitForTextContaining(page, '.el-empty__description', '没有发现重复客户');
    const notes = await server.api<{ data: { items: Array<{ body: string }> } }>('GET', `/api/customers/${customerId}/notes`, { token: await server.login('admin') });
    expect(notes.body.data.items.map((n) => n.body)).toContain('导入时备注');
  });

  it('adds a tag on the detail page: WeCom holds it, the tags card and the timeline show it', async () => {
    const admin = await server.login('admin');
    const group = await server.api<{ data: { tags: Array<{ wecomTagId: string }> } }>('POST', '/api/tags/groups', { token: admin, body: { name: '购买偏好', tags: ['布艺沙发'] } });
    expect(group.status).toBe(200);
    const { customerIds, contacts } = await seedCustomersFromSandbox(server, 1, () => 'SH01');
    await page.goto(`${server.baseUrl}/customers/${customerIds[0]}`);
    await waitForTextContaining(page, sel('tags'), '暂无标签');
    await page.click(sel('edit-tags'));
    await page.click(`${sel('edit-tags-select')} .el-select__wrapper`);
    await page.click('.el-select-dropdown__item:visible:has-text("布艺沙发")');
    await page.keyboard.press('Escape');
    await page.click(sel('edit-tags-submit'));
    await waitForTextContaining(page, `${sel('tags')} ${sel('tag')}`, '布艺沙发');
    await waitForTextContaining(page, `${sel('tags')} .tag-group`, '购买偏好');
    expect((await sandboxOf(server).customer(contacts[0]!.externalUserid))?.follows.flatMap((f) => f.tagIds)).toContain(group.body.data.tags[0]!.wecomTagId);
    await page.click('.el-tabs__item:has-text("客户动态")');
    await waitForTextContaining(page, sel('timeline-item'), '添加标签：购买偏好/布艺沙发');
    await shots.take(page, 'customer-detail-tags-edited');
  });
});
