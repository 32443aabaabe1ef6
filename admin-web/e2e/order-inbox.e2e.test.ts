/**
 * 订单中心 › 订单消息 in the console: deliveries from the shop platforms with their status; a dead
 * letter (its connector plugin disabled, so processing gave up) is found from the alert, shows why
 * it failed, and is replayed from the table.
 * Screenshots go to E2E_SCREENSHOT_DIR, or a fresh temp dir (printed).
 */
import { adminConsoleSession, browserDescribe, sel, teardown, waitForText, waitForTextContaining, type AdminConsoleSession } from './browser-kit';

interface Delivery {
  id: number;
  platformOrderId: string;
  status: string;
  lastError: string | null;
}

browserDescribe('order-inbox')('订单消息: order deliveries, dead letters and replay', () => {
  let session: AdminConsoleSession | undefined;
  let admin = '';
  const pageErrors: string[] = [];

  beforeAll(async () => {
    // No background worker: the test decides when deliveries are processed.
    session = await adminConsoleSession('order-inbox', { server: { env: { JOB_WORKER_ENABLED: 'false' } } });
    admin = await session.server.login('admin');
    session.page.on('pageerror', (err) => pageErrors.push(err.message));
    const { services } = session.server.running;
    // The Douyin plugin is not enabled here: both deliveries fail until processing gives up on them.
    await services.orders.inbox.receive('douyin', [
      { platformOrderId: 'DY-INBOX-1', event: '101', payload: '{"p_id":"DY-INBOX-1"}' },
      { platformOrderId: 'DY-INBOX-2', event: '101', payload: '{"p_id":"DY-INBOX-2"}' },
    ]);
    await services.orders.inbox.dispatchPending();
    for (let attempt = 0; attempt < 10; attempt += 1) {
      await services.models.Job.update({ run_at: new Date(Date.now() - 1000) }, { where: { status: 'pending' } });
      await services.queue.drain();
    }
  }, 300_000);

  afterAll(async () => teardown(session?.server, session?.browser), 60_000);

  const deliveries = async () => (await session!.server.api<{ data: { items: Delivery[] } }>('GET', '/api/order-inbox', { token: admin })).body.data.items;

  test('an admin finds the dead letters, sees why they failed and replays one', async () => {
    const { page, server, shots } = session!;
    expect((await deliveries()).map((d) => d.status)).toEqual(['dead', 'dead']);

    await page.goto(`${server.baseUrl}/orders/inbox`);
    await page.waitForSelector(sel('inbox-table'));
    await waitForTextContaining(page, sel('inbox-dead-alert'), '2');
    await page.click(`${sel('inbox-dead-alert')} ${sel('show-dead')}`);
    await waitForTextContaining(page, sel('inbox-table'), 'DY-INBOX-1');
    expect(await page.locator(`${sel('inbox-table')} .el-table__body-wrapper .el-table__row`).count()).toBe(2);
    await waitForTextContaining(page, sel('inbox-table'), 'plugin douyin is disabled');
    await shots.take(page, '01-dead-letters');

    const rowOf = (platformOrderId: string) => page.locator(`${sel('inbox-table')} .el-table__body-wrapper .el-table__row`, { has: page.locator(sel('inbox-row-order-id'), { hasText: new RegExp(`^${platformOrderId}$`) }) });
    // The expanded row shows the whole error.
    await rowOf('DY-INBOX-1').locator('.el-table__expand-icon').click();
    await waitForTextContaining(page, sel('inbox-row-full-error'), 'DY-INBOX-1');
    await shots.take(page, '02-error');
    await rowOf('DY-INBOX-1').locator(sel('inbox-replay')).click();
    await page.click('.el-message-box .el-button--primary');
    await waitForText(page, '.el-message--success .el-message__content', '已重新排队处理');
    await shots.take(page, '03-replayed');

    const after = await deliveries();
    expect(after.find((d) => d.platformOrderId === 'DY-INBOX-1')?.status).toBe('pending');
    expect(after.find((d) => d.platformOrderId === 'DY-INBOX-2')?.status).toBe('dead');
    expect(await server.running.services.models.AuditLog.count({ where: { action: 'order.delivery_replayed' } })).toBe(1);
    // The dead-letter filter now lists the one left.
    await waitForText(page, `${sel('inbox-table')} .el-table__body-wrapper ${sel('inbox-row-order-id')}`, 'DY-INBOX-2');
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
