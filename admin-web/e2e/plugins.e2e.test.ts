/**
 * 插件管理 in the console, with the host's test plugins loaded (recorder, broken, an invalid one):
 * the invalid manifest shows its problems; the recorder's settings form is generated from its
 * schema and saved; the switch enables it; a 10 % rollout is set in the dialog; the broken plugin's
 * dead-lettered deliveries show in the failures drawer and one is replayed from there. The enabled
 * recorder's menu entry opens the generic plugin page (its route's output as a table, its settings),
 * and the entry leaves the menu as soon as the plugin is disabled.
 * Screenshots go to E2E_SCREENSHOT_DIR, or a fresh temp dir (printed).
 */
import { drainPlugins, testPluginPath } from '../../server/src/modules/plugins/plugin-test-kit';
import { waitUntil } from '../../server/src/testing/wait-until';
import { adminConsoleSession, browserDescribe, sel, settle, teardown, waitForTextContaining, type AdminConsoleSession } from './browser-kit';

browserDescribe('plugins')('插件管理: settings form, enable, rollout, failures and replay', () => {
  let session: AdminConsoleSession | undefined;
  let admin = '';
  const pageErrors: string[] = [];

  beforeAll(async () => {
    session = await adminConsoleSession('plugins', {
      server: {
        env: {
          PLUGIN_DISCOVERY: 'false',
          PLUGIN_PATHS: ['recorder', 'broken', 'invalid'].map(testPluginPath).join(','),
          PLUGIN_HOOK_TIMEOUT_MS: '300',
          PLUGIN_DELIVERY_ATTEMPTS: '1',
          JOB_WORKER_ENABLED: 'false',
        },
      },
    });
    admin = await session.server.login('admin');
    session.page.on('pageerror', (err) => pageErrors.push(err.message));
  }, 300_000);

  afterAll(() => teardown(session?.server, session?.browser), 60_000);

  const state = (name: string) => session!.server.running.services.plugins.states.fresh(name);
  /** The console saves in the background: wait for the plugin's stored state to show the change. */
  const stateWhen = async (name: string, saved: (s: Awaited<ReturnType<typeof state>>) => boolean) => {
    await waitUntil(async () => saved(await state(name)), 10_000, 100);
    return state(name);
  };

  test('an admin configures, enables and rolls out a plugin, and replays a dead delivery', async () => {
    const { page, server, shots } = session!;
    await page.goto(`${server.baseUrl}/system/plugins`);
    await page.waitForSelector(sel('plugins-table'));
    await waitForTextContaining(page, sel('plugin-problems'), 'requires.core');
    await shots.take(page, '01-plugin-list');

    await page.click(sel('settings-recorder'));
    await page.waitForSelector(sel('plugin-settings-form'));
    await page.fill(sel('setting-label'), '华东门店');
    await page.fill(sel('setting-apiKey'), 'key-abcd-9876');
    await shots.take(page, '02-settings-form', '.el-dialog');
    await page.click(sel('settings-save'));
    expect((await stateWhen('recorder', (s) => (s.settings as { label?: string }).label === '华东门店')).settings).toMatchObject({ label: '华东门店', apiKey: 'key-abcd-9876' });

    await page.click(sel('toggle-recorder'));
    expect((await stateWhen('recorder', (s) => s.enabled)).enabled).toBe(true);

    await page.click(sel('rollout-recorder'));
    await page.waitForSelector(sel('rollout-dialog'));
    await page.click(`${sel('rollout-mode')} label:has-text("按比例")`);
    await page.fill(`${sel('rollout-percent')} .el-input-number input`, '10');
    await page.keyboard.press('Tab');
    await shots.take(page, '03-rollout-dialog', '.el-dialog');
    await page.click(sel('rollout-save'));
    expect((await stateWhen('recorder', (s) => (s.rollout as { mode?: string }).mode === 'percent')).rollout).toMatchObject({ mode: 'percent', percent: 10 });

    await page.click(sel('toggle-broken'));
    await stateWhen('broken', (s) => s.enabled);
    const stores = await server.api<{ data: { items: Array<{ id: number }> } }>('GET', '/api/stores', { token: admin });
    const storeId = (stores.body.data as { items: Array<{ id: number }> }).items[0]!.id;
    expect((await server.api('POST', '/api/customers', { token: admin, body: { name: '插件测试客户', storeId } })).status).toBe(200);
    await drainPlugins(server);

    await page.click('button:has-text("刷新")');
    await settle(page);
    await page.click(sel('failures-broken'));
    await page.waitForSelector(sel('plugin-deliveries'));
    await waitForTextContaining(page, sel('delivery-status'), '死信');
    await shots.take(page, '04-failures-drawer');
    await page.click(sel('replay'));
    await waitForTextContaining(page, sel('delivery-status'), '待投递');
    const delivery = await server.running.services.models.PluginDelivery.findOne({ where: { plugin: 'broken' }, raw: true });
    expect(delivery).toMatchObject({ status: 'pending', replays: 1 });
    expect(pageErrors).toEqual([]);
  }, 120_000);

  test("an enabled plugin's menu entry opens the generic plugin page, and goes away when the plugin is disabled", async () => {
    const { page, server, shots } = session!;
    expect((await server.api('PUT', '/api/system/plugins/recorder/rollout', { token: admin, body: { mode: 'all' } })).status).toBe(200);
    const stores = await server.api<{ data: { items: Array<{ id: number }> } }>('GET', '/api/stores', { token: admin });
    const created = await server.api<{ data: { id: number } }>('POST', '/api/customers', { token: admin, body: { name: '插件页面客户', storeId: stores.body.data.items[0]!.id } });
    await drainPlugins(server);

    await page.goto(`${server.baseUrl}/system/plugins`);
    await page.waitForSelector(sel('plugins-table'));
    await page.click(sel('menu-plugin-pages'));
    await page.click(sel('menu-plugin.recorder.seen'));
    await page.waitForURL('**/plugins/recorder/seen');
    await waitForTextContaining(page, sel('plugin-page-status'), '已启用');
    await waitForTextContaining(page, sel('plugin-view-table'), String(created.body.data.id));
    await page.waitForSelector(sel('plugin-page-settings'));
    await shots.take(page, '05-plugin-page');

    await page.goto(`${server.baseUrl}/system/plugins`);
    await page.waitForSelector(sel('plugins-table'));
    await page.click(sel('toggle-recorder'));
    await page.click('.el-message-box__btns .el-button--primary');
    // Gone from the menu at once, without signing in again or reloading.
    await page.waitForSelector(sel('menu-plugin-pages'), { state: 'detached' });
    expect((await state('recorder')).enabled).toBe(false);
    await shots.take(page, '06-menu-after-disable');
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
