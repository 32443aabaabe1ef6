import { startTestServer, type TestServer } from '../../../server/src/testing/test-server';
import { STEP_RUN_JOB } from '../../../server/src/modules/work-orders/work-order-step-runs';
import { createOrder, orderOf, publishFlow, storeIdOf } from '../../../server/src/modules/work-orders/work-order-test-kit';
import { startErpSimulator, type ErpSimulator } from './simulator/erp-simulator';

const pipe = 'AC-PIPE-3M';

describe('配件调拨 as an asynchronous ERP step of a work order', () => {
  let server: TestServer;
  let erp: ErpSimulator;
  let admin: string;
  let sh01: number;

  beforeAll(async () => {
    erp = await startErpSimulator({ stock: { 'WH-SH': { [pipe]: 3 } }, auth: { apiKey: 'k-1' } });
    server = await startTestServer({ env: { JOB_WORKER_ENABLED: 'false' } });
    admin = await server.login('admin');
    sh01 = await storeIdOf(server, 'SH01');
    const saved = await server.api('PUT', '/api/system/plugins/erp-rest/settings', { token: admin, body: { settings: { baseUrl: erp.url, apiKey: 'k-1', defaultWarehouse: 'WH-SH' } } });
    expect(saved.status).toBe(200);
    expect((await server.api('POST', '/api/system/plugins/erp-rest/enable', { token: admin })).status).toBe(200);
    await publishFlow(server, admin, 'ac_install_erp', {
      start: 'parts',
      nodes: [
        { key: 'parts', name: '配件调拨', type: 'auto', automation: { step: 'erp-rest.reserve_parts', settings: {} }, escalations: [], edges: [{ to: 'install', priority: 0, isDefault: true }] },
        { key: 'install', name: '上门安装', type: 'task', assignee: { strategy: 'store_manager' }, escalations: [], edges: [{ to: 'done', priority: 0, isDefault: true }] },
        { key: 'done', name: '完成', type: 'end', escalations: [], edges: [] },
      ],
    } as never);
  });
  afterAll(async () => {
    await server.stop();
    await erp.stop();
  });

  const drain = () => server.running.services.queue.drain();
  const order = (quantity: number) => createOrder(server, admin, { flowCode: 'ac_install_erp', storeId: sh01, products: [{ sku: pipe, name: '铜管 3m', quantity }] });

  it('reserves the parts in the ERP, moves on to the installation, and releases them when the order is cancelled', async () => {
    const created = await order(2);
    expect(created.currentNodeKey).toBe('parts');
    await drain();
    const installing = await orderOf(server, admin, created.id);
    expect(installing.currentNodeKey).toBe('install');
    expect(erp.state.reservations()).toEqual([expect.objectContaining({ reference: `wo-${created.id}-parts-1`, warehouse: 'WH-SH', status: 'reserved' })]);
    expect(erp.state.available('WH-SH', pipe)).toBe(1);

    const cancelled = await server.api('POST', `/api/work-orders/${created.id}/cancel`, { token: admin, body: { lockVersion: installing.lockVersion, reason: '客户取消' } });
    expect(cancelled.status).toBe(200);
    await drain();
    expect(erp.state.reservations()[0]?.status).toBe('released');
    expect(erp.state.available('WH-SH', pipe)).toBe(3);
    expect((await orderOf(server, admin, created.id)).history.filter((e) => e.type === 'compensated')).toHaveLength(1);
  });

  it('parks the node as failed with the shortage when stock is short, and goes on after an admin retries once stock arrived', async () => {
    const created = await order(5);
    // Every attempt finds the shortage; the backoff between them is brought forward.
    for (let attempt = 0; attempt < 5; attempt += 1) {
      await server.running.services.models.Job.update({ run_at: new Date(Date.now() - 1000) }, { where: { type: STEP_RUN_JOB, status: 'pending' } });
      await drain();
    }
    const failed = (await orderOf(server, admin, created.id)) as Awaited<ReturnType<typeof orderOf>> & { automation: { status: string; lastError: string } };
    expect(failed.automation).toMatchObject({ status: 'failed', lastError: `配件 ${pipe} 在仓库 WH-SH 库存不足：需要 5，可用 3` });

    erp.state.receive('WH-SH', pipe, 2);
    const retried = await server.api('POST', `/api/work-orders/${created.id}/automation/retry`, { token: admin, body: { lockVersion: failed.lockVersion } });
    expect(retried.status).toBe(200);
    await drain();
    expect((await orderOf(server, admin, created.id)).currentNodeKey).toBe('install');
    expect(erp.state.reservations().filter((r) => r.reference === `wo-${created.id}-parts-1`)).toHaveLength(1);
  });

});
