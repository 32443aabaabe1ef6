/**
 * The technician page (/m) in a phone-sized browser, against a server running the WeCom sandbox:
 *  - the corp's root department is mapped to store SH01 with the technician role, so every synced
 *    employee is a technician there;
 *  - a flow whose first task waits in the technicians' pool and needs a GPS check-in within 200 m,
 *    a photo, a signature and a form field; an order for a customer near a fixed point;
 *  - the technician signs in through the sandbox's OAuth page (a user picker), claims the task,
 *    checks in (geolocation granted), takes a photo, has the customer sign and completes, with the
 *    connection dropping during the completion: offline first, then an answer lost on the way back;
 *  - the API then shows the node completed exactly once.
 * Screenshots go to E2E_SCREENSHOT_DIR, or a fresh temp dir (printed).
 */
import type { Page, Route } from 'playwright-core';

import { createOrder, oneTaskFlow, orderOf, publishFlow, storeIdOf } from '../../server/src/modules/work-orders/work-order-test-kit';
import { startTestServer, type TestServer } from '../../server/src/testing/test-server';
import { browserDescribe, createShots, settle, openBrowser, requireBrowserAndConsole, sel, teardown, waitForTextContaining, type BrowserSession, type Shots } from './browser-kit';

declare const document: { querySelectorAll(selector: string): ArrayLike<{ textContent: string | null; getAttribute(name: string): string | null }> };

const SITE = { latitude: 31.18834, longitude: 121.43652 };
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

browserDescribe('mobile')('technician page in a phone browser, against the WeCom sandbox', () => {
  let server: TestServer;
  let admin = '';
  let phone: BrowserSession | undefined;
  let shots: Shots;
  const pageErrors: string[] = [];

  const api = async <T>(method: string, url: string, body?: unknown): Promise<T> => {
    const reply = await server.api<{ data: T }>(method, url, { token: admin, body });
    if (reply.status !== 200) throw new Error(`${method} ${url}: ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body.data;
  };
  const drain = async () => {
    await server.running.services.wecom.callbacks.dispatchPending();
    await server.running.services.queue.drain();
  };

  beforeAll(async () => {
    requireBrowserAndConsole();
    server = await startTestServer({ env: { WECOM_SANDBOX: 'auto', JOB_WORKER_ENABLED: 'false' } });
    admin = await server.login('admin');
    await api('POST', '/api/wecom/directory/sync');
    await drain();
    const roles = await api<Array<{ id: number; code: string }>>('GET', '/api/roles');
    const technician = roles.find((r) => r.code === 'technician');
    if (!technician) throw new Error('no technician role');
    await api('PUT', '/api/wecom/directory/departments/1/mapping', { storeId: await storeIdOf(server, 'SH01'), roleId: technician.id });
    await drain();
    shots = createShots('mobile');
    phone = await openBrowser('mobile', { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, timeout: 30_000 });
  }, 300_000);

  afterAll(() => teardown(server, phone), 60_000);

  /** What the phone's screen shows (a full-page shot would smear the sticky header and fixed footer). */
  async function screen(page: Page, name: string): Promise<void> {
    await settle(page);
    await page.screenshot({ path: `${shots.dir}/${name}.png` });
  }

  async function signIn(page: Page, userid: string): Promise<void> {
    await page.goto(`${server.baseUrl}/m/`);
    // WeCom's authorize page; the sandbox lets us pick who signs in
    await page.click(`a[data-userid="${userid}"]`);
    await page.waitForSelector(sel('m-tab-pool'));
  }

  test('a technician claims, checks in, photographs, gets a signature and completes once despite a flaky connection', async () => {
    const sh01 = await storeIdOf(server, 'SH01');
    await publishFlow(
      server,
      admin,
      'm_visit',
      oneTaskFlow({
        name: '上门安装',
        assignee: { strategy: 'pool', roleCode: 'technician' },
        timeLimit: { minutes: 240, calendar: 'default' },
        form: { fields: [{ key: 'result', label: '安装结果', type: 'select', required: true, options: ['正常', '异常'] }], minPhotos: 1, signature: true, checkInWithinMeters: 200, partsList: false },
      }),
    );
    const customer = await api<{ id: number; name: string }>('POST', '/api/customers', { name: '王女士', storeId: sh01, address: '上海市徐汇区漕溪北路 88 号' });
    const order = await createOrder(server, admin, {
      flowCode: 'm_visit',
      customerId: customer.id,
      storeId: sh01,
      address: '上海市徐汇区漕溪北路 88 号 12 楼',
      lat: SITE.latitude + 0.0005, // ~55 m north of where the technician stands
      lng: SITE.longitude,
      products: [{ name: '智能门锁', quantity: 1 }],
    });
    expect(order).toMatchObject({ currentNodeKey: 'work', assigneeUserId: null, poolRoleCode: 'technician' });

    const employees = await api<Array<{ userid: string; name: string; user: { id: number; storeName: string | null } | null }>>('GET', '/api/sidebar/sandbox/employees');
    const tech = employees.find((e) => e.user?.storeName === '上海徐汇店');
    if (!tech?.user) throw new Error('no synced employee in 上海徐汇店');

    const page = await phone!.context.newPage();
    page.on('pageerror', (err) => pageErrors.push(err.message));
    await signIn(page, tech.userid);
    await screen(page, '01-mine-empty');

    // the pool: claim the order
    await page.click(sel('m-tab-pool'));
    await page.waitForSelector(sel(`m-pool-${order.id}`));
    await screen(page, '02-pool');
    await page.click(sel(`m-claim-${order.id}`));
    await page.waitForSelector(sel('m-checkin'));
    expect(page.url()).toContain(`#/orders/${order.id}`);
    await waitForTextContaining(page, sel('m-detail-title'), '王女士');
    expect(await page.getAttribute(sel('m-map-link'), 'href')).toContain(`position=${SITE.longitude},${SITE.latitude + 0.0005}`);

    // on site: the page may now read the position
    await phone!.context.setGeolocation(SITE);
    await phone!.context.grantPermissions(['geolocation'], { origin: server.baseUrl });
    await page.click(sel('m-checkin-action'));
    await page.waitForSelector(sel('m-checkin-done'));
    expect(await page.textContent(sel('m-checkin-done'))).toMatch(/5\d 米/);

    // a photo from the camera
    await page.setInputFiles(sel('m-photo-input'), { name: 'door.png', mimeType: 'image/png', buffer: PNG });
    await waitForTextContaining(page, sel('m-photo-count'), '1');

    await page.click(sel('m-option-result-正常'));

    // the customer signs with a finger (a mouse drag across the pad)
    const pad = await page.waitForSelector(sel('m-signature-canvas'));
    // centred, clear of the fixed footer with the complete button
    await pad.evaluate((el) => (el as unknown as { scrollIntoView(o: object): void }).scrollIntoView({ block: 'center' }));
    const box = await pad.boundingBox();
    if (!box) throw new Error('the signature pad is not visible');
    await page.mouse.move(box.x + 30, box.y + box.height * 0.6);
    await page.mouse.down();
    for (let i = 1; i <= 12; i += 1) await page.mouse.move(box.x + 30 + i * 22, box.y + box.height * (0.6 + 0.2 * Math.sin(i)), { steps: 3 });
    await page.mouse.up();
    await screen(page, '03-signed');
    await page.click(sel('m-signature-save'));
    await page.waitForSelector(sel('m-signature-done'));
    await page.waitForFunction(() => document.querySelectorAll('[data-test="m-outbox-item"]').length === 0);

    // the connection drops as the technician taps complete
    let completeRequests = 0;
    let loseAnswer = true;
    let offline = true;
    await page.route(`**/api/work-orders/${order.id}/complete`, async (route: Route) => {
      completeRequests += 1;
      // routed requests skip the context's offline emulation: fail them as it would
      if (offline) return route.abort('internetdisconnected');
      if (loseAnswer) {
        // the server gets it and applies it, but the answer never reaches the phone
        loseAnswer = false;
        await route.fetch();
        await route.abort('connectionreset');
        return;
      }
      await route.continue();
    });
    await phone!.context.setOffline(true);
    await page.click(sel('m-complete'));
    await page.waitForFunction(() => Array.from(document.querySelectorAll('[data-test="m-outbox-item"]')).some((el) => el.getAttribute('data-kind') === 'complete' && (el.textContent ?? '').includes('已尝试')));
    await screen(page, '04-offline-pending');
    expect((await orderOf(server, admin, order.id)).status).toBe('open');

    offline = false;
    await phone!.context.setOffline(false);
    await page.waitForSelector(sel('m-detail-closed'), { timeout: 45_000 });
    await page.waitForFunction(() => document.querySelectorAll('[data-test="m-outbox-item"]').length === 0);
    await screen(page, '05-completed');
    expect(completeRequests).toBeGreaterThanOrEqual(2);

    const detail = await orderOf(server, admin, order.id);
    expect(detail.status).toBe('done');
    expect(detail.history.filter((e) => e.type === 'completed')).toHaveLength(1);
    expect(detail.history.filter((e) => e.type === 'checked_in')).toHaveLength(1);
    const full = await api<{ attachments: Array<{ kind: string; lat: number | null; capturedAt: string | null }> }>('GET', `/api/work-orders/${order.id}`);
    expect(full.attachments.map((a) => a.kind).sort()).toEqual(['photo', 'signature']);
    expect(full.attachments.find((a) => a.kind === 'photo')).toMatchObject({ lat: SITE.latitude });
    expect(full.attachments.every((a) => a.capturedAt !== null)).toBe(true);
    await page.close();
    expect(pageErrors).toEqual([]);
  }, 180_000);
});
