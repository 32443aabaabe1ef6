import { startTestServer, type TestServer } from '../../testing/test-server';
import { oneTaskFlow, publishFlow, storeIdOf } from '../work-orders/work-order-test-kit';

/**
 * The chat sidebar creates an order for the customer of the conversation: it lists the published
 * flows (GET /api/work-orders/flows) and posts to POST /api/work-orders with the conversation's
 * external_userid, under the employee's own session and data scope.
 */
describe('creating a work order from the chat sidebar', () => {
  let server: TestServer;
  let staff: string;
  let admin: string;
  const ids = { own: 0, other: 0 };

  beforeAll(async () => {
    server = await startTestServer({ env: { JOB_WORKER_ENABLED: 'false' } });
    staff = await server.login('staff_sh01');
    admin = await server.login('admin');
    await publishFlow(server, admin, 'sb_install', oneTaskFlow({ name: '上门安装', assignee: { strategy: 'role', roleCode: 'technician' } }));
    const customer = async (storeCode: string, name: string, externalUserid: string) => {
      const created = await server.api<{ data: { id: number } }>('POST', '/api/customers', { token: admin, body: { name, storeId: await storeIdOf(server, storeCode), address: `${name}的家` } });
      expect(created.status).toBe(200);
      await server.running.services.models.Customer.update({ external_userid: externalUserid }, { where: { id: created.body.data.id } });
      return created.body.data.id;
    };
    ids.own = await customer('SH01', '徐汇的客户', 'wm_sb_order_own');
    ids.other = await customer('GZ01', '天河的客户', 'wm_sb_order_other');
  });
  afterAll(() => server.stop());

  const create = (token: string, body: Record<string, unknown>) => server.api<{ data: Record<string, unknown> & { id: number } }>('POST', '/api/work-orders', { token, body });

  it('lists the published flows to whoever may create orders, and to nobody else', async () => {
    const flows = await server.api<{ data: Array<{ code: string; name: string; latestVersion: number }> }>('GET', '/api/work-orders/flows', { token: staff });
    expect(flows.status).toBe(200);
    expect(flows.body.data).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'sb_install', latestVersion: 1 })]));
    expect((await server.api('GET', '/api/work-orders/flows', { token: await server.login('finance') })).status).toBe(403);
  });

  it("creates the order for the conversation's customer: their store and address, the sidebar as source, the first node entered", async () => {
    const reply = await create(staff, { flowCode: 'sb_install', externalUserId: 'wm_sb_order_own', title: '门锁安装', priority: 'high', sourceChannel: 'wecom_sidebar', serviceItems: [{ name: '安装', quantity: 1 }], products: [{ name: '智能门锁', quantity: 1 }] });
    expect(reply.status).toBe(200);
    expect(reply.body.data).toMatchObject({ customerId: ids.own, customerName: '徐汇的客户', storeId: await storeIdOf(server, 'SH01'), sourceChannel: 'wecom_sidebar', priority: 'high', currentNodeKey: 'work', currentNodeName: '上门安装', orderNo: expect.stringMatching(/^WO\d+/) });
    const asAdmin = await server.api<{ data: { address: string } }>('GET', `/api/work-orders/${reply.body.data.id}`, { token: admin });
    expect(asAdmin.body.data.address).toBe('徐汇的客户的家');
  });

  it("answers 404 for another store's customer, as for an unknown one, and creates nothing", async () => {
    const { models } = server.running.services;
    const before = await models.WorkOrder.count();
    const other = await create(staff, { flowCode: 'sb_install', externalUserId: 'wm_sb_order_other' });
    const unknown = await create(staff, { flowCode: 'sb_install', externalUserId: 'wm_sb_nobody' });
    expect([other.status, unknown.status]).toEqual([404, 404]);
    expect(other.body.details).toEqual([{ path: 'body.externalUserId', message: 'no such customer in your scope' }]);
    expect(JSON.stringify(other.body)).not.toContain('天河');
    expect(await models.WorkOrder.count()).toBe(before);
  });
});
