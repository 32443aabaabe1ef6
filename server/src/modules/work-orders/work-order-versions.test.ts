import { startTestServer, type TestServer } from '../../testing/test-server';
import { createOrder, orderOf, publishFlow, storeIdOf } from './work-order-test-kit';

const task = (key: string, next: string) => ({ key, name: key, type: 'task', assignee: { strategy: 'role', roleCode: 'technician' }, escalations: [], edges: [{ to: next, priority: 0, isDefault: true }] });
const end = { key: 'done', name: '完成', type: 'end', escalations: [], edges: [] };
const v1 = { start: 'confirm', nodes: [task('confirm', 'parts'), task('parts', 'visit'), task('visit', 'done'), end] };
/** Version 2 inserts 备件预审 (pre_check) before the parts transfer. */
const v2 = { start: 'confirm', nodes: [task('confirm', 'pre_check'), task('pre_check', 'parts'), task('parts', 'visit'), task('visit', 'done'), end] };

describe('work orders and flow versions', () => {
  let server: TestServer;
  let admin: string;
  let sh01: number;

  beforeAll(async () => {
    server = await startTestServer({ env: { JOB_WORKER_ENABLED: 'false' } });
    admin = await server.login('admin');
    sh01 = await storeIdOf(server, 'SH01');
  });
  afterAll(() => server.stop());

  const complete = async (id: number) => {
    const order = await orderOf(server, admin, id);
    const reply = await server.api('POST', `/api/work-orders/${id}/complete`, { token: admin, body: { lockVersion: order.lockVersion, form: {} } });
    expect(reply.status).toBe(200);
  };

  it('keeps running orders on their version while a new one is published, and migrates a chosen subset in the background, resuming after an interruption', async () => {
    const v1Id = await publishFlow(server, admin, 'wo_versions', v1 as never);
    const orders = [];
    for (let i = 0; i < 12; i += 1) orders.push(await createOrder(server, admin, { flowCode: 'wo_versions', storeId: sh01 }));
    // Four orders are already past 配件调拨 (at visit); eight are still at confirm.
    for (const order of orders.slice(0, 4)) {
      await complete(order.id);
      await complete(order.id);
    }
    const v2Id = await publishFlow(server, admin, 'wo_versions', v2 as never);
    const fresh = await createOrder(server, admin, { flowCode: 'wo_versions', storeId: sh01 });
    expect(fresh.flowVersionId).toBe(v2Id);
    // Pinned: an old order completing confirm still goes straight to parts (v1's chain).
    await complete(orders[4]!.id);
    const pinned = await orderOf(server, admin, orders[4]!.id);
    expect(pinned).toMatchObject({ flowVersionId: v1Id, currentNodeKey: 'parts' });

    const badMapping = await server.api('POST', '/api/work-orders/migrations', { token: admin, body: { fromVersionId: v1Id, toVersionId: v2Id, nodeMapping: { confirm: 'nowhere' } } });
    expect(badMapping.status).toBe(400);
    expect(badMapping.body.details).toEqual([expect.objectContaining({ path: 'body.nodeMapping.confirm' })]);

    // Migrate the orders not yet past 配件调拨: those at confirm or parts.
    const started = await server.api<{ data: { id: number; total: number; status: string } }>('POST', '/api/work-orders/migrations', {
      token: admin,
      body: { fromVersionId: v1Id, toVersionId: v2Id, filter: { nodeKeys: ['confirm', 'parts'] }, nodeMapping: { parts: 'pre_check' } },
    });
    expect(started.status).toBe(200);
    expect(started.body.data).toMatchObject({ total: 8, status: 'running' });
    const migrationId = started.body.data.id;
    const { workOrders, queue, models } = server.running.services;
    // The worker gets three orders in, then dies; its cursor is lost too (worst case).
    await workOrders.migrations.step(migrationId, 3);
    await models.WorkOrderMigration.update({ cursor_id: 0 }, { where: { id: migrationId } });
    await queue.drain();

    const run = await server.api<{ data: { status: string; migrated: number } }>('GET', `/api/work-orders/migrations/${migrationId}`, { token: admin });
    expect(run.body.data).toMatchObject({ status: 'done', migrated: 8 });
    for (const order of orders.slice(4)) {
      const detail = await orderOf(server, admin, order.id);
      expect(detail.flowVersionId).toBe(v2Id);
      expect(detail.history.filter((e) => e.type === 'migrated')).toHaveLength(1);
    }
    const mapped = await orderOf(server, admin, orders[4]!.id);
    expect(mapped.currentNodeKey).toBe('pre_check');
    for (const order of orders.slice(0, 4)) expect((await orderOf(server, admin, order.id)).flowVersionId).toBe(v1Id);

    // A migrated order now follows v2's chain: confirm → pre_check.
    await complete(orders[5]!.id);
    expect((await orderOf(server, admin, orders[5]!.id)).currentNodeKey).toBe('pre_check');
    // Versions in use cannot be deleted.
    const flowId = Number((await models.FlowVersion.findByPk(v1Id, { raw: true }))?.flow_id);
    expect((await server.api('DELETE', `/api/flows/${flowId}/versions/1`, { token: admin })).status).toBe(409);
  });
});
