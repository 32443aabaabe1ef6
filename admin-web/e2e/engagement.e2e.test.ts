/**
 * Browser test of channel QR codes (渠道活码) against a real server and the WeCom sandbox: an admin
 * creates a contact way with a tag and a welcome message in the console, a customer scans it in the
 * sandbox, the sandbox receives the welcome message, the customer's page shows the channel tag, the
 * contact way list counts the add and the journey funnel shows the customer under that channel. Needs /usr/bin/chromium and the built console.
 */
import { type Page } from 'playwright-core';
import { Op } from 'sequelize';

import { mirrorSandboxTags, startSyncSandbox } from '../../server/src/modules/customer-sync/customer-sync-test-kit';
import { type TestServer } from '../../server/src/testing/test-server';
import { waitUntil } from '../../server/src/testing/wait-until';
import { adminConsoleSession, browserDescribe, pickOption, sel, teardown, waitForTextContaining, type BrowserSession, type Shots } from './browser-kit';

browserDescribe('engagement')('channel QR codes console', () => {
  let kit: Awaited<ReturnType<typeof startSyncSandbox>>;
  let server: TestServer;
  let browser: BrowserSession | undefined;
  let page: Page;
  let shots: Shots;
  let employee: string;
  let tagName: string;

  beforeAll(async () => {
    kit = await startSyncSandbox({ employees: 3, customers: 4, seed: 9 });
    employee = kit.sandbox.state.directory.activeEmployees()[0]!.userid;
    ({ server, browser, page, shots } = await adminConsoleSession('engagement', {
      server: { env: kit.env },
      browser: { timeout: 30_000, viewport: { width: 1440, height: 1000 } },
      async prepare(server) {
        await mirrorSandboxTags(server.running.services.models, kit.sandbox);
        kit.pointCallbacksAt(server.baseUrl);
      },
    }));
    const tag = await server.running.services.models.Tag.findOne({ where: {}, order: [['id', 'ASC']], raw: true });
    tagName = tag!.name;
  }, 300_000);
  afterAll(async () => {
    await teardown(server, browser);
    await kit?.sandbox.close();
  }, 60_000);

  it('creates a contact way, welcomes a scanning customer and tags them', async () => {
    await page.goto(`${server.baseUrl}/engagement/contact-ways`);
    await page.waitForSelector(sel('contact-ways-table'));
    await page.click(sel('contact-way-add'));
    await page.fill(sel('contact-way-name'), '门店柜台');
    await page.fill(sel('contact-way-state'), 'counter-e2e');
    await page.click(`${sel('contact-way-users')} .el-select__wrapper`);
    await page.keyboard.type(employee);
    await page.keyboard.press('Enter');
    await pickOption(page, sel('contact-way-tags'), tagName);
    await page.keyboard.press('Escape');
    await page.fill(sel('contact-way-welcome'), '欢迎光临，扫码有礼！');
    await shots.take(page, 'contact-way-create');
    await page.click(sel('contact-way-save'));
    await waitForTextContaining(page, sel('contact-ways-table'), 'counter-e2e');
    await page.waitForSelector(sel('contact-way-qr'));
    await shots.take(page, 'contact-way-list');

    const added = (await (await fetch(`${kit.url}/__sandbox/events/customer-added`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId: employee, state: 'counter-e2e', name: '扫码客' }) })).json()) as { externalUserId: string; welcomeCode: string };
    const welcomed = async () => ((await (await fetch(`${kit.url}/__sandbox/state/welcome-messages`)).json()) as { welcomeMessages: Array<{ welcomeCode: string; text?: { content: string } }> }).welcomeMessages.find((w) => w.welcomeCode === added.welcomeCode);
    await waitUntil(async () => Boolean(await welcomed()), 10_000);
    expect((await welcomed())?.text?.content).toBe('欢迎光临，扫码有礼！');

    const { models } = server.running.services;
    await waitUntil(async () => (await models.ChannelAdd.count({ where: { external_userid: added.externalUserId, applied_at: { [Op.ne]: null } } })) === 1, 30_000);
    const customer = await models.Customer.findOne({ where: { external_userid: added.externalUserId }, raw: true });
    await page.goto(`${server.baseUrl}/customers/${customer!.id}`);
    await waitForTextContaining(page, 'body', tagName);
    await shots.take(page, 'customer-tagged');

    await page.goto(`${server.baseUrl}/engagement/contact-ways`);
    await waitForTextContaining(page, `${sel('contact-ways-table')} .el-table__row`, '1 / 0 / 0');
    await shots.take(page, 'contact-way-stats');
  }, 120_000);

  it('shows the scanned customer in the journey funnel under their channel, and lists them at the first step', async () => {
    await page.goto(`${server.baseUrl}/engagement/journey`);
    await waitForTextContaining(page, sel('journey-channels'), '门店柜台');
    const cells = await page.$$eval(`${sel('journey-channels')} .el-table__row`, (rows) =>
      rows.map((row) => Array.from(row.querySelectorAll('td'), (td) => (td as { textContent: string | null }).textContent?.trim() ?? '')).find((texts) => texts[0] === '门店柜台'),
    );
    // one customer added through the channel, who has not replied or ordered yet
    expect(cells).toEqual(['门店柜台', '1', '0', '0', '0', '0.0%']);
    await page.waitForSelector(`${sel('journey-chart')} canvas`);
    await shots.take(page, 'journey-funnel');

    await page.click(`${sel('journey-steps')} .el-table__row >> nth=0`);
    await waitForTextContaining(page, sel('journey-customers-table'), '扫码客');
    await shots.take(page, 'journey-step-customers');
    await page.click(`${sel('journey-customers-table')} a:has-text("扫码客")`);
    await page.waitForURL(/\/customers\/\d+$/);
  }, 60_000);

  it('adds a journey stage in the console, which the funnel then measures', async () => {
    await page.goto(`${server.baseUrl}/engagement/journey`);
    await waitForTextContaining(page, sel('journey-channels'), '门店柜台');
    await page.click(sel('journey-configure'));
    await waitForTextContaining(page, sel('journey-stages-table'), '第 2 笔订单');
    await page.click(sel('journey-stage-add'));
    await page.fill(sel('journey-stage-name'), '安装完成');
    await pickOption(page, sel('journey-stage-event'), '工单完成');
    await shots.take(page, 'journey-stage-editor');
    await page.click(sel('journey-stage-save'));
    await waitForTextContaining(page, sel('journey-stages-table'), '安装完成');
    await shots.take(page, 'journey-stages');
    await page.keyboard.press('Escape');
    await waitForTextContaining(page, sel('journey-steps'), '安装完成');
    const stored = await server.running.services.models.JourneyStage.findAll({ order: [['sort_order', 'ASC']], raw: true });
    expect(stored.map((s) => [s.name_zh, s.event_type])).toEqual([
      ['添加好友', 'customer_added'],
      ['互动', 'first_message'],
      ['下单', 'order_created'],
      ['复购', 'order_created'],
      ['安装完成', 'work_order_completed'],
    ]);
  }, 60_000);
});
