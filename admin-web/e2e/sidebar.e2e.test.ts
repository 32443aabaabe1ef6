/**
 * The chat sidebar in a real browser, against a server running the WeCom sandbox with its demo corp:
 *  - an admin maps the corp's root department to a store; directory, tags, customers and group chats
 *    are synced from the sandbox;
 *  - the WeCom client stand-in (/sidebar/sandbox) plays an employee's chat with a customer: the
 *    sidebar signs in through the sandbox's OAuth page, registers with our agentConfig signature and
 *    shows that customer;
 *  - a tag and a note added in the sidebar then show in the admin console's customer detail;
 *  - in a customer group chat the sidebar lists the members and opens a customer among them.
 * Screenshots (phone-sized) go to E2E_SCREENSHOT_DIR, or a fresh temp dir (printed).
 *
 * Without /usr/bin/chromium the suite is skipped with a warning, unless REQUIRE_BROWSER=1.
 */
import { type Frame, type Page } from 'playwright-core';

import { oneTaskFlow, publishFlow } from '../../server/src/modules/work-orders/work-order-test-kit';
import { startTestServer, type TestServer } from '../../server/src/testing/test-server';
import { browserDescribe, createShots, login, openBrowser, requireBrowserAndConsole, sel, teardown, waitForText, type BrowserSession, type Shots } from './browser-kit';

// page.evaluate/waitForFunction callbacks run in the browser; the repo's tsconfig has no DOM lib.
interface InPageElement {
  textContent: string | null;
  getAttribute(name: string): string | null;
}
declare const document: { body: { innerText: string }; querySelectorAll(selector: string): ArrayLike<InPageElement> };

interface ApiBody<T> {
  data: T;
}

/* -------------------------------------------------------------------- suite */

browserDescribe('sidebar')('chat sidebar in a browser, against the WeCom sandbox', () => {
  let server: TestServer;
  let admin = '';
  let phone: BrowserSession | undefined;
  let desk: BrowserSession | undefined;
  let shots: Shots;
  const pageErrors: string[] = [];

  const api = async <T>(method: string, url: string, body?: unknown): Promise<T> => {
    const reply = await server.api<ApiBody<T>>(method, url, { token: admin, body });
    if (reply.status !== 200) throw new Error(`${method} ${url}: ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body.data;
  };
  const drain = async () => {
    await server.running.services.wecom.callbacks.dispatchPending();
    await server.running.services.queue.drain();
  };

  /** Directory first (employees become users of the mapped store), then what hangs off them. */
  async function syncTheCorp(): Promise<void> {
    await api('POST', '/api/wecom/directory/sync');
    await drain();
    const [roles, stores] = await Promise.all([
      api<Array<{ id: number; code: string }>>('GET', '/api/roles'),
      api<{ items: Array<{ id: number; code: string }> } | Array<{ id: number; code: string }>>('GET', '/api/stores?pageSize=100'),
    ]);
    const storeList = Array.isArray(stores) ? stores : stores.items;
    const staffRole = roles.find((r) => r.code === 'store_staff')!;
    const sh01 = storeList.find((s) => s.code === 'SH01')!;
    await api('PUT', '/api/wecom/directory/departments/1/mapping', { storeId: sh01.id, roleId: staffRole.id });
    await drain();
    for (const kind of ['tags', 'customers', 'groups']) {
      await api('POST', `/api/wecom/sync/${kind}`);
      await drain();
    }
  }

  /** Opens the stand-in, plays `userid` in a chat, and returns the sidebar's frame once it shows `readySelector`. */
  async function openSidebar(page: Page, userid: string, kind: 'single' | 'group', target: string, readySelector: string): Promise<Frame> {
    await page.goto(`${server.baseUrl}/sidebar/sandbox`);
    await page.waitForSelector(`${sel('standin-employee')} option[value="${userid}"]`, { state: 'attached' });
    await page.selectOption(sel('standin-employee'), userid);
    await page.click(sel(`standin-kind-${kind}`));
    await page.waitForSelector(`${sel('standin-target')} option[value="${target}"]`, { state: 'attached' });
    await page.selectOption(sel('standin-target'), target);
    await page.click(sel('standin-open'));
    const frame = await (await page.waitForSelector(sel('standin-frame'))).contentFrame();
    if (!frame) throw new Error('the stand-in has no sidebar frame');
    await frame.waitForSelector(`${readySelector}, ${sel('sidebar-failed')}`, { timeout: 30_000 });
    const failed = await frame.$(sel('sidebar-failed'));
    if (failed) throw new Error(`the sidebar failed: ${(await failed.textContent()) ?? ''}`);
    return frame;
  }

  beforeAll(async () => {
    requireBrowserAndConsole();
    // no background worker: the test drains the queue itself, so a sync is done when drain() returns
    server = await startTestServer({ env: { WECOM_SANDBOX: 'auto', WECOM_SANDBOX_CUSTOMERS: '60', JOB_WORKER_ENABLED: 'false' } });
    admin = await server.login('admin');
    await syncTheCorp();
    shots = createShots('sidebar');
    // A phone's width; tall enough that the stand-in's controls and its whole 760 px phone frame fit below one another.
    phone = await openBrowser('sidebar-phone', { viewport: { width: 430, height: 1280 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, timeout: 30_000 });
    desk = await openBrowser('sidebar-desk', { timeout: 30_000 });
  }, 300_000);

  afterAll(() => teardown(server, phone, desk), 60_000);

  /** An employee of the mapped store, and one of their customers, as the stand-in lists them. */
  async function employeeWithCustomer(): Promise<{ userid: string; externalUserId: string; name: string }> {
    const employees = await api<Array<{ userid: string; name: string; user: { storeName: string | null } | null }>>('GET', '/api/sidebar/sandbox/employees');
    for (const e of employees.filter((x) => x.user?.storeName === '上海徐汇店')) {
      const chats = await api<{ customers: Array<{ externalUserId: string; name: string }> }>('GET', `/api/sidebar/sandbox/employees/${e.userid}/chats`);
      const customer = chats.customers[0];
      if (customer) return { userid: e.userid, externalUserId: customer.externalUserId, name: customer.name };
    }
    throw new Error('no synced employee of 上海徐汇店 has a customer');
  }

  test('the sidebar shows the chosen customer and saves a tag and a note that the admin console then shows', async () => {
    const chosen = await employeeWithCustomer();
    const customer = await api<{ id: number; name: string; tags: Array<{ tags: Array<{ id: number }> }> }>('GET', `/api/customers/by-external/${chosen.externalUserId}`);
    const has = new Set(customer.tags.flatMap((g) => g.tags.map((t) => t.id)));
    const groups = await api<Array<{ tags: Array<{ id: number; name: string }> }>>('GET', '/api/tags');
    const tag = groups.flatMap((g) => g.tags).find((t) => !has.has(t.id));
    if (!tag) throw new Error('no corp tag left to add');

    const page = await phone!.context.newPage();
    page.on('pageerror', (err) => pageErrors.push(err.message));
    const frame = await openSidebar(page, chosen.userid, 'single', chosen.externalUserId, sel('sidebar-customer-name'));
    await waitForText(frame, sel('sidebar-customer-name'), customer.name);
    expect((await frame.textContent(sel('sidebar-customer-store')))?.trim()).toBe('上海徐汇店');
    // store staff have no customer:pii:read: a phone, when there is one, is masked
    const phoneText = (await frame.textContent(sel('sidebar-customer-phone')))?.trim() ?? '';
    expect(phoneText === '—' || phoneText.includes('*')).toBe(true);
    // the stand-in answered as the WeCom client: the agentConfig signature passed, then the contact was read
    const calls = await page.textContent(sel('standin-calls'));
    expect(calls).toContain('agentConfig');
    expect(calls).toContain(chosen.externalUserId);
    expect(calls).not.toContain('fail');
    await shots.take(page, '01-standin-customer');
    await shots.take(page, '02-sidebar-customer', sel('standin-phone'));

    // move the customer on to the next stage
    const nextStage = await frame.$eval(`${sel('sidebar-stage')} .sb-chip.is-active + .sb-chip`, (el) => ({ test: el.getAttribute('data-test') ?? '', name: (el.textContent ?? '').trim() }));
    await frame.click(sel(nextStage.test));
    await waitForText(frame, `${sel('sidebar-stage')} .sb-chip.is-active`, nextStage.name);

    // add a tag
    await frame.click(sel('sidebar-tags-edit'));
    await frame.click(sel(`tag-option-${tag.id}`));
    await shots.take(page, '03-sidebar-tag-drawer', sel('standin-phone'));
    await frame.click(sel('sidebar-tags-save'));
    await waitForText(frame, sel('sidebar-tag'), tag.name);

    // add a note
    const note = `到店体验旗舰版，周三回访 #${Date.now() % 100000}`;
    await frame.fill(sel('sidebar-note-input'), note);
    await frame.click(sel('sidebar-note-add'));
    await waitForText(frame, sel('sidebar-note-body'), note);
    await frame.waitForSelector(sel('sidebar-timeline-entry'));
    await frame.waitForFunction(() => document.querySelectorAll('.el-message').length === 0, undefined, { timeout: 10_000 }); // the toasts faded
    await shots.take(page, '04-sidebar-after-edits', sel('standin-phone'));

    // the console's customer detail shows both
    const console = await desk!.context.newPage();
    console.on('pageerror', (err) => pageErrors.push(err.message));
    await login(console, server.baseUrl, 'admin', server.adminPassword);
    await console.goto(`${server.baseUrl}/customers/${customer.id}`);
    await console.waitForFunction(([t, n]) => document.body.innerText.includes(t) && document.body.innerText.includes(n), [tag.name, note] as const, { timeout: 20_000 });
    await shots.take(console, '05-console-customer-detail');
    await console.close();
    await page.close();
    expect(pageErrors).toEqual([]);
  }, 180_000);

  test("creates a work order for the conversation's customer and shows its number and current node", async () => {
    await publishFlow(server, admin, 'sb_e2e_install', oneTaskFlow({ name: '上门安装', assignee: { strategy: 'role', roleCode: 'technician' } }));
    const flowName = (await api<Array<{ code: string; name: string }>>('GET', '/api/work-orders/flows')).find((f) => f.code === 'sb_e2e_install')?.name ?? '';
    const chosen = await employeeWithCustomer();
    const customer = await api<{ id: number; storeId: number }>('GET', `/api/customers/by-external/${chosen.externalUserId}`);

    const page = await phone!.context.newPage();
    page.on('pageerror', (err) => pageErrors.push(err.message));
    const frame = await openSidebar(page, chosen.userid, 'single', chosen.externalUserId, sel('sidebar-wo-new'));
    await frame.click(sel('sidebar-wo-new'));
    await frame.waitForSelector(sel('sidebar-wo-flow'));
    await frame.click(`${sel('sidebar-wo-flow')} .el-select__wrapper`);
    await frame.locator('.el-select-dropdown__item:visible', { hasText: flowName }).first().click();
    await frame.fill(sel('sidebar-wo-title'), '门锁上门安装');
    await frame.fill(sel('sidebar-wo-address'), '上海市徐汇区漕溪北路 88 号');
    await frame.fill(`${sel('sidebar-wo-serviceItems-line')} input >> nth=0`, '门锁安装');
    await frame.click(sel('sidebar-wo-add-products'));
    await frame.fill(`${sel('sidebar-wo-products-line')} input >> nth=0`, '智能门锁 X1');
    await frame.click(sel('sidebar-wo-priority-high'));
    await shots.take(page, '08-sidebar-new-order', sel('standin-phone'));
    await frame.click(sel('sidebar-wo-submit'));
    await frame.waitForSelector(sel('sidebar-wo-created'));
    await waitForText(frame, sel('sidebar-wo-node'), '当前节点：上门安装');
    const orderNo = ((await frame.textContent(sel('sidebar-wo-no'))) ?? '').trim();
    await shots.take(page, '09-sidebar-order-created', sel('standin-phone'));

    const orders = await api<{ items: Array<{ id: number; orderNo: string; customerId: number; storeId: number; title: string; priority: string; sourceChannel: string; products: Array<{ name: string }>; serviceItems: Array<{ name: string }> }> }>('GET', `/api/work-orders?keyword=${orderNo}`);
    expect(orders.items).toEqual([
      expect.objectContaining({ orderNo, customerId: customer.id, storeId: customer.storeId, title: '门锁上门安装', priority: 'high', sourceChannel: 'wecom_sidebar', products: [expect.objectContaining({ name: '智能门锁 X1' })], serviceItems: [expect.objectContaining({ name: '门锁安装' })] }),
    ]);
    expect(await frame.getAttribute(sel('sidebar-wo-link'), 'href')).toBe(`/work-orders/${orders.items[0]?.id}`);
    await page.close();
    expect(pageErrors).toEqual([]);
  }, 120_000);

  test('in a customer group chat the sidebar lists the members and opens a customer among them', async () => {
    const sandboxUrl = server.running.sandbox?.url ?? '';
    const { groupChats } = (await (await fetch(`${sandboxUrl}/__sandbox/state/group-chats`)).json()) as { groupChats: Array<{ chatId: string; name: string; owner: string; members: Array<{ type: number; userid: string }> }> };
    const group = groupChats.find((g) => g.members.some((m) => m.type === 2));
    if (!group) throw new Error('the sandbox has no group chat with customers');
    const detail = await api<{ name: string | null; members: Array<{ memberType: number; memberId: string; customer: { externalUserId: string; name: string } | null }> }>(
      'GET',
      `/api/sidebar/group-chats/${group.chatId}`,
    );
    const member = detail.members.find((m) => m.customer);
    if (!member?.customer) throw new Error('no member of the group is a synced customer');

    const page = await phone!.context.newPage();
    page.on('pageerror', (err) => pageErrors.push(err.message));
    const frame = await openSidebar(page, group.owner, 'group', group.chatId, sel('sidebar-group-name'));
    await waitForText(frame, sel('sidebar-group-name'), group.name);
    expect((await frame.$$(sel('sidebar-group-member'))).length).toBe(detail.members.length);
    await shots.take(page, '06-sidebar-group', sel('standin-phone'));

    await frame.click(sel(`member-${member.memberId}`));
    await waitForText(frame, sel('sidebar-customer-name'), member.customer.name);
    await shots.take(page, '07-sidebar-group-member', sel('standin-phone'));
    await frame.click(sel('sidebar-back'));
    await frame.waitForSelector(sel('sidebar-group-name'));
    await page.close();
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
