import { QueryTypes } from 'sequelize';
import type { TestServer } from '../../testing/test-server';
import { manifestProblems } from './plugin-manifest';
import { drainPlugins, startPluginTestServer } from './plugin-test-kit';

interface PluginItem {
  name: string;
  valid: boolean;
  problems: Array<{ path: string; message: string }>;
  enabled: boolean;
  settings: Record<string, unknown>;
  settingsSchema: { properties?: Record<string, unknown> } | null;
  deadDeliveries: number;
  failures24h: number;
}

describe('plugin host', () => {
  let server: TestServer;
  let admin: string;
  let storeId: number;

  beforeAll(async () => {
    server = await startPluginTestServer(['recorder', 'broken', 'invalid', 'too-new']);
    admin = await server.login('admin');
    const stores = await server.api<{ data: { items: Array<{ id: number; code: string }> } }>('GET', '/api/stores?pageSize=50', { token: admin });
    storeId = (stores.body.data as { items: Array<{ id: number; code: string }> }).items.find((s) => s.code === 'SH01')!.id;
  });
  afterAll(() => server?.stop());

  const list = async () => (await server.api<{ data: PluginItem[] }>('GET', '/api/system/plugins', { token: admin })).body.data as PluginItem[];
  const plugin = async (name: string) => (await list()).find((p) => p.name === name)!;
  const seen = () => server.running.services.db.sequelize.query<{ delivery_id: string; customer_id: number }>('SELECT delivery_id, customer_id FROM plg_recorder_seen', { type: QueryTypes.SELECT });
  const createCustomer = (name: string, store = storeId) => server.api<{ data: { id: number } }>('POST', '/api/customers', { token: admin, body: { name, storeId: store } });
  const hasTable = (name: string) => server.running.services.db.sequelize.getQueryInterface().tableExists(name);

  it('explains every manifest problem with its path, and keeps invalid plugins off', async () => {
    const invalid = await plugin('Bad_Name');
    expect(invalid.valid).toBe(false);
    expect(invalid.problems.map((p) => p.path).sort()).toEqual(['hooks.customer.exploded', 'name', 'requires.core', 'version'].sort());
    const tooNew = await plugin('too-new');
    expect(tooNew.problems).toEqual(expect.arrayContaining([{ path: 'requires.core', message: 'needs core ^9.0.0; this is 0.1.0' }]));
    const enable = await server.api('POST', '/api/system/plugins/too-new/enable', { token: admin });
    expect(enable.status).toBe(409);
    expect(enable.body.message).toMatch(/invalid/);
  });

  it('reports an unknown hook name as a problem of the manifest', async () => {
    const problems = manifestProblems({ name: 'x', version: '1.0.0', requires: { core: '^0.1.0' }, title: { 'zh-CN': 'x', 'en-US': 'x' }, hooks: { 'customer.exploded': async () => undefined } }, '0.1.0');
    expect(problems).toEqual([{ path: 'hooks.customer.exploded', message: 'is not an event of the EventMap' }]);
  });

  it('runs the migrations of a plugin on enable, and down again on uninstall once disabled', async () => {
    expect(await hasTable('plg_recorder_seen')).toBe(false);
    const enabled = await server.api<{ data: { migrated: string[] } }>('POST', '/api/system/plugins/recorder/enable', { token: admin });
    expect(enabled.status).toBe(200);
    expect((enabled.body.data as { migrated: string[] }).migrated).toEqual(['001-seen']);
    expect(await hasTable('plg_recorder_seen')).toBe(true);
    expect((await server.api('POST', '/api/system/plugins/recorder/uninstall', { token: admin })).status).toBe(409);
    await server.api('POST', '/api/system/plugins/recorder/disable', { token: admin });
    const removed = await server.api<{ data: { reverted: string[] } }>('POST', '/api/system/plugins/recorder/uninstall', { token: admin });
    expect((removed.body.data as { reverted: string[] }).reverted).toEqual(['001-seen']);
    expect(await hasTable('plg_recorder_seen')).toBe(false);
    expect(await server.running.services.models.PluginMigration.count({ where: { plugin: 'recorder' } })).toBe(0);
    await server.api('POST', '/api/system/plugins/recorder/enable', { token: admin });
    expect(await hasTable('plg_recorder_seen')).toBe(true);
  });

  it('delivers a committed customer.created to the hook once, with a stable delivery id', async () => {
    const created = await createCustomer('王先生');
    expect(created.status).toBe(200);
    const customerId = (created.body.data as { id: number }).id;
    await drainPlugins(server);
    await drainPlugins(server);
    const rows = (await seen()).filter((r) => Number(r.customer_id) === customerId);
    expect(rows).toHaveLength(1);
    const event = await server.running.services.models.OutboxEvent.findOne({ where: { event: 'customer.created' }, order: [['id', 'DESC']], raw: true });
    expect(rows[0]!.delivery_id).toBe(`${event!.id}:recorder`);
  });

  it('stops the hooks of a disabled plugin at once, even for events already queued', async () => {
    const before = (await seen()).length;
    await createCustomer('禁用前的客户');
    await server.api('POST', '/api/system/plugins/recorder/disable', { token: admin });
    await createCustomer('禁用后的客户');
    await drainPlugins(server);
    expect((await seen()).length).toBe(before);
    await server.api('POST', '/api/system/plugins/recorder/enable', { token: admin });
  });

  it('refuses bad settings with the field named, keeps secrets encrypted and masked', async () => {
    const bad = await server.api('PUT', '/api/system/plugins/recorder/settings', { token: admin, body: { settings: { label: '' } } });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/body\.settings\.label/);
    const saved = await server.api('PUT', '/api/system/plugins/recorder/settings', { token: admin, body: { settings: { label: '门店', apiKey: 'secret-key-1234' } } });
    expect(saved.status).toBe(200);
    const row = await server.running.services.models.PluginState.findOne({ where: { name: 'recorder' }, raw: true });
    expect(row!.settings).not.toContain('secret-key-1234');
    const view = await plugin('recorder');
    expect(view.settings.apiKey).toBe('********1234');
    expect(view.settingsSchema?.properties).toHaveProperty('label');
    // Sending the masked value back keeps the secret.
    await server.api('PUT', '/api/system/plugins/recorder/settings', { token: admin, body: { settings: { label: '门店2', apiKey: '********1234' } } });
    expect((await server.running.services.plugins.states.fresh('recorder')).settings.apiKey).toBe('secret-key-1234');
  });

  it('rolls out per store: 0 % reaches no store, an explicit list reaches exactly its stores', async () => {
    const before = (await seen()).length;
    await server.api('PUT', '/api/system/plugins/recorder/rollout', { token: admin, body: { mode: 'percent', percent: 0 } });
    await createCustomer('灰度外客户');
    await drainPlugins(server);
    expect((await seen()).length).toBe(before);
    const badList = await server.api('PUT', '/api/system/plugins/recorder/rollout', { token: admin, body: { mode: 'stores', storeIds: [] } });
    expect(badList.status).toBe(400);
    await server.api('PUT', '/api/system/plugins/recorder/rollout', { token: admin, body: { mode: 'stores', storeIds: [storeId] } });
    await createCustomer('灰度内客户');
    await drainPlugins(server);
    expect((await seen()).length).toBe(before + 1);
    await server.api('PUT', '/api/system/plugins/recorder/rollout', { token: admin, body: { mode: 'all' } });
  });

  it('serves plugin routes: public ones without a session, others with one, none while disabled', async () => {
    const ping = await server.api<{ pong: boolean; label: string; q: string }>('GET', '/api/plugins/recorder/ping?q=1');
    expect(ping.status).toBe(200);
    expect(ping.body).toMatchObject({ pong: true, q: '1' });
    expect((await server.api('GET', '/api/plugins/recorder/seen')).status).toBe(401);
    expect((await server.api('GET', '/api/plugins/recorder/seen', { token: admin })).status).toBe(200);
    const echo = await server.api<{ id: string; raw: string; body: unknown }>('POST', '/api/plugins/recorder/echo/a1', { rawBody: 'x=1&y=2', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(echo.body).toEqual({ id: 'a1', raw: 'x=1&y=2', body: { x: '1', y: '2' } });
    expect((await server.api('GET', '/api/plugins/broken/boom')).status).toBe(404);
  });

  it('turns a filter veto into a 422 naming the plugin, and creates nothing', async () => {
    const count = await server.running.services.models.Customer.count();
    const vetoed = await server.api('POST', '/api/plugins/recorder/customers', { body: { name: 'please veto me' } });
    expect(vetoed.status).toBe(422);
    expect(vetoed.body.message).toMatch(/refused by plugin recorder/);
    expect(await server.running.services.models.Customer.count()).toBe(count);
  });

  it('runs the filters on the console’s own create actions: a veto creates nothing, a change is kept', async () => {
    const { models } = server.running.services;
    const customers = await models.Customer.count();
    const vetoedCustomer = await createCustomer('veto this one');
    expect(vetoedCustomer.status).toBe(422);
    expect(await models.Customer.count()).toBe(customers);

    const order = (sourceChannel: string) => server.api<{ data: { id: number; priority: string } }>('POST', '/api/work-orders', { token: admin, body: { flowCode: 'repair', storeId, sourceChannel, priority: 'normal' } });
    const orders = await models.WorkOrder.count();
    const vetoedOrder = await order('blocked');
    expect(vetoedOrder.status).toBe(422);
    expect(vetoedOrder.body.message).toMatch(/refused by plugin recorder/);
    expect(await models.WorkOrder.count()).toBe(orders);
    const vip = await order('vip');
    expect(vip.status).toBe(200);
    expect(vip.body.data.priority).toBe('urgent');
  });

  it('keeps the core working when a plugin throws or hangs, and dead-letters its deliveries for replay', async () => {
    await server.api('POST', '/api/system/plugins/broken/enable', { token: admin });
    const started = Date.now();
    const created = await server.api<{ data: { id: number } }>('POST', '/api/plugins/recorder/customers', { body: { name: ' 赵女士 ', phone: '13900001111' } });
    expect(created.status).toBe(201);
    const customerId = (created.body as unknown as { id: number }).id;
    const updated = await server.api('PATCH', `/api/customers/${customerId}`, { token: admin, body: { name: '赵女士2' } });
    expect(updated.status).toBe(200);
    expect((await server.api('GET', '/api/plugins/broken/boom')).status).toBe(500);
    expect((await server.api('GET', '/api/plugins/broken/hang')).status).toBe(500);
    expect((await server.api('GET', '/api/customers', { token: admin })).status).toBe(200);
    // Far below the plugin time limits a blocked core would wait out (the hang only answers when its limit cuts it off).
    expect(Date.now() - started).toBeLessThan(20_000);
    await drainPlugins(server);
    const broken = await plugin('broken');
    expect(broken.deadDeliveries).toBeGreaterThanOrEqual(2);
    expect(broken.failures24h).toBeGreaterThanOrEqual(4);
    const failures = await server.api<{ data: { deliveries: Array<{ id: number; event: string; status: string; lastError: string }>; failures: Array<{ kind: string }> } }>('GET', '/api/system/plugins/broken/failures', { token: admin });
    const data = failures.body.data as { deliveries: Array<{ id: number; event: string; status: string; lastError: string }>; failures: Array<{ kind: string }> };
    const hung = data.deliveries.find((d) => d.event === 'customer.updated')!;
    expect(hung).toMatchObject({ status: 'dead', lastError: expect.stringMatching(/did not finish within 300 ms/) });
    expect(new Set(data.failures.map((f) => f.kind))).toEqual(new Set(['hook', 'filter', 'route']));
    // The recorder, not broken, still got its customer.created.
    expect((await seen()).some((r) => Number(r.customer_id) === customerId)).toBe(true);
    const replay = await server.api('POST', `/api/system/plugins/broken/deliveries/${hung.id}/replay`, { token: admin });
    expect(replay.status).toBe(200);
    expect((await server.running.services.models.PluginDelivery.findByPk(hung.id, { raw: true }))!.status).toBe('pending');
    expect((await server.api('POST', `/api/system/plugins/broken/deliveries/${hung.id}/replay`, { token: admin })).status).toBe(409);
    await drainPlugins(server);
    expect((await server.running.services.models.PluginDelivery.findByPk(hung.id, { raw: true }))!).toMatchObject({ status: 'dead', replays: 1 });
    expect(await server.running.services.models.AuditLog.count({ where: { action: 'plugin.delivery_replayed' } })).toBe(1);
  });

  it('refuses plugin management without plugin:manage', async () => {
    const staff = await server.login('staff_sh01');
    expect((await server.api('GET', '/api/system/plugins', { token: staff })).status).toBe(403);
  });
});
