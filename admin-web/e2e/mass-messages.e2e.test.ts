/**
 * Browser test of mass messages (群发消息) against a real server and the WeCom sandbox: an admin picks a
 * tag audience in the console, sees the live count, sends text plus a link, each owning employee gets
 * one group-send task in the sandbox, the employees confirm in their client and the detail shows who
 * sent and which customers received it. Needs /usr/bin/chromium and the built console.
 */
import { type Page } from 'playwright-core';
import { fn, col } from 'sequelize';

import { mirrorSandboxTags, startSyncSandbox, storedCounts } from '../../server/src/modules/customer-sync/customer-sync-test-kit';
import { type TestServer } from '../../server/src/testing/test-server';
import { waitUntil } from '../../server/src/testing/wait-until';
import { adminConsoleSession, browserDescribe, pickOption, sel, teardown, waitForTextContaining, type BrowserSession, type Shots } from './browser-kit';

// The callback handed to page.waitForFunction runs in the browser; the repo's tsconfig has no DOM lib.
declare const document: { querySelectorAll(selector: string): ArrayLike<{ textContent: string | null }> };

browserDescribe('mass-messages')('mass messages console', () => {
  let kit: Awaited<ReturnType<typeof startSyncSandbox>>;
  let server: TestServer;
  let browser: BrowserSession | undefined;
  let page: Page;
  let shots: Shots;
  let tagName: string;
  let tagged: number;

  beforeAll(async () => {
    kit = await startSyncSandbox({ employees: 3, customers: 10, seed: 4 });
    ({ server, browser, page, shots } = await adminConsoleSession('mass-messages', {
      server: { env: kit.env },
      browser: { timeout: 30_000, viewport: { width: 1440, height: 1000 } },
      async prepare(server) {
        const { models } = server.running.services;
        await mirrorSandboxTags(models, kit.sandbox);
        const admin = await server.login('admin');
        expect((await server.api('POST', '/api/wecom/sync/customers', { token: admin })).status).toBe(200);
        const expected = kit.expected();
        await waitUntil(async () => JSON.stringify(await storedCounts(models)) === JSON.stringify({ customers: expected.customers, follows: expected.relations, tagMarks: expected.tagMarks }), 30_000);
      },
    }));
    const { models } = server.running.services;
    const [top] = (await models.CustomerTag.findAll({ attributes: ['tag_id', [fn('COUNT', fn('DISTINCT', col('customer_id'))), 'n']], group: ['tag_id'], order: [[fn('COUNT', fn('DISTINCT', col('customer_id'))), 'DESC'], ['tag_id', 'ASC']], raw: true })) as unknown as Array<{ tag_id: number; n: number }>;
    tagName = (await models.Tag.findByPk(top!.tag_id, { raw: true }))!.name;
    tagged = Number(top!.n);
  }, 300_000);
  afterAll(async () => {
    await teardown(server, browser);
    await kit?.sandbox.close();
  }, 60_000);

  it('creates and sends a mass message to a tag, then shows each employee and customer as sent once they confirm', async () => {
    await page.goto(`${server.baseUrl}/engagement/mass-messages`);
    await page.waitForSelector(sel('mass-table'));
    await page.click(sel('mass-add'));
    await page.fill(sel('mass-name'), '春季上新');
    await pickOption(page, sel('mass-tags'), tagName);
    await page.keyboard.press('Escape');
    await waitForTextContaining(page, sel('mass-preview'), `将发送给 ${tagged} 位客户，跳过 0 位`);
    await page.fill(sel('mass-text'), '春季新品到店，欢迎预约体验');
    await page.click(sel('mass-add-link'));
    await page.fill(sel('mass-link-title'), '活动详情');
    await page.fill(sel('mass-link-url'), 'https://shop.example.com/spring');
    await shots.take(page, 'mass-create', '.el-dialog');
    await page.click(sel('mass-save-send'));

    await waitForTextContaining(page, sel('mass-detail-status'), '已发出');
    const templates = kit.sandbox.state.messages.templates.filter((m) => m.text?.content === '春季新品到店，欢迎预约体验');
    expect(templates.length).toBeGreaterThan(0);
    expect(templates.reduce((n, m) => n + m.externalUserids.length, 0)).toBe(tagged);
    expect(new Set(templates.map((m) => m.sender)).size).toBe(templates.length);
    expect(templates.every((m) => (m.attachments as Array<{ msgtype: string }>).map((a) => a.msgtype).join() === 'link')).toBe(true);
    await waitForTextContaining(page, sel('mass-tasks'), '未发送');
    await shots.take(page, 'mass-detail-waiting');

    for (const template of templates) {
      const res = await fetch(`${kit.url}/__sandbox/events/group-msg-confirmed`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ msgid: template.msgid, userid: template.sender }) });
      expect(res.status).toBe(200);
    }
    await page.click(sel('mass-refresh'));
    await page.waitForFunction(
      (s) => Array.from(document.querySelectorAll(s)).length > 0 && Array.from(document.querySelectorAll(s)).every((e) => e.textContent?.trim() === '已发送'),
      `${sel('mass-tasks')} ${sel('mass-task-status')}`,
    );
    await page.click(sel('mass-filter-sent'));
    await waitForTextContaining(page, sel('mass-filter-sent'), `已发送 ${tagged}`);
    await waitForTextContaining(page, sel('mass-recipients'), '已发送');
    await shots.take(page, 'mass-detail-sent');

    await page.keyboard.press('Escape');
    await waitForTextContaining(page, `${sel('mass-table')} .el-table__row`, '已发出');
    await shots.take(page, 'mass-list');
  }, 180_000);
});
