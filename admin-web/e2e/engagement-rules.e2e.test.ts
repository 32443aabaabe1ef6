/**
 * Browser test of automation rules (自动化规则): an admin builds a "no order for 30 days" rule with a
 * tag action in the console, dry-runs it, saves it, runs it now and sees the firings, and the tagged
 * customer; then an event rule (customer added → follow-up task) whose task shows in the 跟进任务
 * list and is marked done there. Needs /usr/bin/chromium and the built console.
 */
import { type Page } from 'playwright-core';

import { createEngagementModule } from '../../server/src/modules/engagement/engagement.module';
import { seedDormantCustomers, type DormantFixture } from '../../server/src/modules/engagement/rules/rule-test-kit';
import { type TestServer } from '../../server/src/testing/test-server';
import { waitUntil } from '../../server/src/testing/wait-until';
import { adminConsoleSession, browserDescribe, pickOption, sel, teardown, waitForTextContaining, type BrowserSession, type Shots } from './browser-kit';

browserDescribe('engagement-rules')('automation rules console', () => {
  let server: TestServer;
  let browser: BrowserSession | undefined;
  let page: Page;
  let shots: Shots;
  let fixture: DormantFixture;

  beforeAll(async () => {
    ({ server, browser, page, shots } = await adminConsoleSession('engagement-rules', { browser: { timeout: 30_000, viewport: { width: 1440, height: 1000 } } }));
    fixture = await seedDormantCustomers(server, 'e2e');
  }, 300_000);
  afterAll(async () => teardown(server, browser), 60_000);

  it('builds, dry-runs, runs a dormant-customer rule and lists its firings', async () => {
    await page.goto(`${server.baseUrl}/engagement/rules`);
    await page.waitForSelector(sel('rules-table'));
    await page.click(sel('rule-add'));
    await page.fill(sel('rule-name'), '沉睡客户唤醒');
    await pickOption(page, sel('rule-action-tags'), '沉睡-e2e');
    await page.keyboard.press('Escape');
    await page.click(sel('rule-dry-run'));
    const { models } = server.running.services;
    // everyone added over 30 days ago without an order since: the fixture's dormant customers and any demo customers alike
    const expected = await createEngagementModule(server.running.services).rules.dryRun({ name: 'x', trigger: { type: 'no_order_days', days: 30 }, conditions: {}, actions: [{ type: 'add_tags', tagIds: [fixture.tagId] }], period: 'month', enabled: false });
    expect(expected.count).toBeGreaterThanOrEqual(fixture.dormantIds.length);
    await waitForTextContaining(page, sel('rule-dry-run-result'), ` ${expected.count} `);
    await shots.take(page, 'rule-dry-run');
    await page.click(sel('rule-save'));
    await waitForTextContaining(page, sel('rules-table'), '沉睡客户唤醒');
    await page.click(sel('rule-run'));
    await page.click(sel('rule-firings'));
    await waitForTextContaining(page, sel('rule-firings-table'), 'e2e-沉睡');
    await shots.take(page, 'rule-firings');
    expect(await models.CustomerTag.count({ where: { tag_id: fixture.tagId, customer_id: fixture.dormantIds } })).toBe(fixture.dormantIds.length);
    expect(await models.CustomerTag.count({ where: { tag_id: fixture.tagId, customer_id: fixture.activeIds } })).toBe(0);
  }, 120_000);

  it('builds an event rule with a follow-up task action, whose task appears in the task list and is marked done', async () => {
    const { models } = server.running.services;
    await page.goto(`${server.baseUrl}/engagement/rules`);
    await page.waitForSelector(sel('rules-table'));
    await page.click(sel('rule-add'));
    await page.fill(sel('rule-name'), '新客 24 小时回访');
    await pickOption(page, sel('rule-trigger'), '新增客户');
    await pickOption(page, sel('rule-action-type'), '创建跟进任务');
    await page.fill(sel('rule-task-title'), '电话回访新客户');
    await page.click(sel('rule-editor-enabled'));
    await page.click(sel('rule-dry-run'));
    await page.waitForSelector(sel('rule-dry-run-event-note'));
    await shots.take(page, 'event-rule-editor');
    await page.click(sel('rule-save'));
    await waitForTextContaining(page, sel('rules-table'), '新客 24 小时回访');
    const rule = await models.EngagementRule.findOne({ where: { name: '新客 24 小时回访' }, raw: true });
    expect(rule).toMatchObject({ trigger_type: 'customer_added', enabled: expect.anything() });
    expect(JSON.parse(rule!.actions)).toEqual([{ type: 'create_task', title: '电话回访新客户', dueIn: 1, dueUnit: 'days' }]);

    // a customer added with an owner: the rule fires on the event and gives the owner a task
    const store = await models.Store.findOne({ where: { code: 'SH01' }, raw: true });
    const owner = await models.User.findOne({ where: { store_id: store!.id }, order: [['id', 'ASC']], raw: true });
    const token = await server.login('admin');
    const created = await server.api<{ data: { id: number } }>('POST', '/api/customers', { token, body: { name: '事件-新客', storeId: Number(store!.id), ownerUserId: Number(owner!.id) } });
    expect(created.status).toBe(200);
    await waitUntil(async () => (await models.FollowTask.count({ where: { customer_id: created.body.data.id } })) === 1, 20_000);

    await page.goto(`${server.baseUrl}/engagement/tasks`);
    await waitForTextContaining(page, sel('tasks-table'), '电话回访新客户');
    await waitForTextContaining(page, sel('tasks-table'), '事件-新客');
    await shots.take(page, 'follow-up-tasks');
    await page.click(sel('task-done'));
    await waitUntil(async () => (await models.FollowTask.count({ where: { customer_id: created.body.data.id, status: 'done' } })) === 1, 10_000);
    await page.waitForSelector(sel('task-done'), { state: 'detached' });

    // the customer 360 page lists the customer's tasks too
    await page.goto(`${server.baseUrl}/customers/${created.body.data.id}`);
    await page.click('#tab-follow-tasks');
    await waitForTextContaining(page, sel('customer-tasks'), '电话回访新客户');
    await shots.take(page, 'customer-follow-tasks');
  }, 180_000);
});
