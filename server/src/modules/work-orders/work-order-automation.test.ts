import { startTestServer, type TestServer } from '../../testing/test-server';
import { createOrder, orderOf, publishFlow, storeIdOf, userIdOf } from './work-order-test-kit';

const auto = (key: string, step: string, settings: Record<string, unknown>, edges: unknown[]) => ({ key, name: key, type: 'auto', automation: { step, settings }, escalations: [], edges });
const task = { key: 'work', name: '上门', type: 'task', assignee: { strategy: 'role', roleCode: 'technician' }, escalations: [], edges: [{ to: 'done', priority: 0, isDefault: true }] };
const end = { key: 'done', name: '完成', type: 'end', escalations: [], edges: [] };

/** Raise the priority, then (because it is urgent now) tell the customer's manager, then the technician's task. */
const chain = {
  start: 'triage',
  nodes: [
    auto('triage', 'system.set_priority', { priority: 'urgent' }, [
      { to: 'tell', priority: 0, condition: { fact: 'order', path: '$.priority', operator: 'equal', value: 'urgent' } },
      { to: 'work', priority: 1, isDefault: true },
    ]),
    auto('tell', 'system.notify_customer_manager', {}, [{ to: 'work', priority: 0, isDefault: true }]),
    task,
    end,
  ],
};

describe('automatic steps of work-order flows', () => {
  let server: TestServer;
  let admin: string;
  let staff: string;
  let sh01: number;

  beforeAll(async () => {
    server = await startTestServer({ env: { JOB_WORKER_ENABLED: 'false' } });
    admin = await server.login('admin');
    staff = await server.login('staff_sh01');
    sh01 = await storeIdOf(server, 'SH01');
    await publishFlow(server, admin, 'wo_auto', chain as never);
  });
  afterAll(() => server.stop());

  const noticesFor = async (orderId: number) => {
    const jobs = await server.running.services.models.Job.findAll({ where: { type: 'work_order.notify' }, raw: true });
    return jobs.map((job) => JSON.parse(job.payload) as { orderId: number; userIds: number[]; title: string }).filter((p) => p.orderId === orderId);
  };

  it('runs each automatic step once as the order passes its node: the priority is raised and the next edge sees it', async () => {
    const order = await createOrder(server, staff, { flowCode: 'wo_auto', storeId: sh01, priority: 'low' });
    expect(order).toMatchObject({ currentNodeKey: 'work', status: 'open', assigneeUserId: await userIdOf(server, 'tech_sh01') });
    const detail = await orderOf(server, staff, order.id);
    expect(detail).toMatchObject({ priority: 'urgent' });
    const completed = detail.history.filter((e) => e.type === 'completed');
    expect(completed.map((e) => [e.nodeKey, e.payload?.automatic])).toEqual([
      ['triage', 'system.set_priority'],
      ['tell', 'system.notify_customer_manager'],
    ]);
    expect(completed[0]?.payload?.result).toEqual({ from: 'low', to: 'urgent' });
    // No customer: the store manager hears about it, once.
    const managerId = await userIdOf(server, 'manager_sh01');
    const notices = (await noticesFor(order.id)).filter((n) => n.title.startsWith('工单进展'));
    expect(notices).toEqual([expect.objectContaining({ userIds: [managerId], title: '工单进展：tell' })]);
  });

  it("tells the customer's own manager when the customer has one", async () => {
    const staffId = await userIdOf(server, 'staff_sh01');
    const customer = await server.api<{ data: { id: number } }>('POST', '/api/customers', { token: admin, body: { name: '赵先生', storeId: sh01, ownerUserId: staffId } });
    expect(customer.status).toBe(200);
    const order = await createOrder(server, staff, { flowCode: 'wo_auto', customerId: customer.body.data.id });
    const notices = (await noticesFor(order.id)).filter((n) => n.title.startsWith('工单进展'));
    expect(notices).toEqual([expect.objectContaining({ userIds: [staffId] })]);
  });

  it('refuses to publish a step with settings it does not take, pointing at the node', async () => {
    const bad = { ...chain, nodes: [auto('triage', 'system.set_priority', { priority: 'asap' }, [{ to: 'work', priority: 0, isDefault: true }]), task, end] };
    await expect(publishFlow(server, admin, 'wo_auto_bad', bad as never)).rejects.toThrow(/nodes\[0\]\.automation\.settings/);
  });
});
