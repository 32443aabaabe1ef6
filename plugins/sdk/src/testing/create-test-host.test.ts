import { resolve } from 'node:path';
import { createTestHost, FilterVetoed } from './index';

// The host's own test plugin, run offline: the same code the server runs.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const recorder = (require(resolve(__dirname, '../../../../server/src/modules/plugins/test-plugins/recorder.plugin.ts')) as { default: Parameters<typeof createTestHost>[0] }).default;

describe('createTestHost', () => {
  it('runs migrations up on SQLite, delivers a hook once per delivery id, and migrations go down cleanly', async () => {
    const host = await createTestHost(recorder, { settings: { label: 'x' } });
    expect(await host.tables()).toEqual(['plg_recorder_seen']);
    await host.emit('customer.created', { customerId: 7, storeId: 1, externalUserId: null, source: 'test' });
    expect(await host.db.query(`SELECT customer_id FROM ${host.db.table('seen')}`)).toEqual([{ customer_id: 7 }]);
    expect(host.deliveries).toHaveLength(1);
    await host.migrateDown();
    expect(await host.tables()).toEqual([]);
    await host.close();
  });

  it('calls routes with params and query, and services record what the plugin did', async () => {
    const host = await createTestHost(recorder, { settings: { label: 'shop' } });
    expect(await host.route('get', '/ping?q=2')).toMatchObject({ status: 200, body: { pong: true, label: 'shop', q: '2' } });
    const created = await host.route('post', '/customers', { body: { name: '张三', phone: '13800000000' } });
    expect(created).toMatchObject({ status: 201, body: { id: 1, created: true } });
    expect(host.services.customers).toEqual([expect.objectContaining({ name: '张三', phone: '13800000000', source: 'recorder' })]);
    expect((await host.route('get', '/nowhere')).status).toBe(404);
    await host.close();
  });

  it('reports a filter veto as FilterVetoed and returns changed input otherwise', async () => {
    const host = await createTestHost(recorder);
    await expect(host.filter('customer.beforeCreate', { name: 'veto me', storeId: 1, source: 'x', tags: [] })).rejects.toBeInstanceOf(FilterVetoed);
    expect(await host.filter('customer.beforeCreate', { name: ' 李四 ', storeId: 1, source: 'x', tags: [] })).toMatchObject({ name: '李四' });
    await host.close();
  });

  it('refuses settings the schema rejects and SQL on tables that are not the plugin\'s', async () => {
    await expect(createTestHost(recorder, { settings: { label: '' } })).rejects.toThrow();
    const host = await createTestHost(recorder);
    await expect(host.db.query('SELECT * FROM customers')).rejects.toThrow(/only use its own tables/);
    await host.close();
  });
});
