import { startTestServer, type TestServer } from '../../testing/test-server';
import { accept, createOrder, oneTaskFlow, publishFlow, storeIdOf, userIdOf } from './work-order-test-kit';

interface Counter {
  id: number;
  name: string | null;
  measured: number;
  breached: number;
  rate: number;
}
interface Stats {
  flows: Array<{ code: string; latestVersion: number }>;
  openByNode: Array<{ flowName: string | null; nodeKey: string; nodeName: string; open: number; paused: number; overdue: number }>;
  overdue: Array<{ id: number; overdue: boolean }>;
  breachByStore: Counter[];
  breachByAssignee: Counter[];
}

describe('work order dashboard stats over HTTP', () => {
  let server: TestServer;
  let admin: string;
  let staff: string;
  let tech: string;
  let sh01: number;
  let hz01: number;
  let techId: number;
  const past = () => new Date(Date.now() - 60 * 60 * 1000);

  beforeAll(async () => {
    server = await startTestServer({ env: { JOB_WORKER_ENABLED: 'false' } });
    admin = await server.login('admin');
    staff = await server.login('staff_sh01');
    tech = await server.login('tech_sh01');
    sh01 = await storeIdOf(server, 'SH01');
    hz01 = await storeIdOf(server, 'HZ01');
    techId = await userIdOf(server, 'tech_sh01');
    await publishFlow(server, admin, 'wo_stats', oneTaskFlow({ name: '统计处理', assignee: { strategy: 'role', roleCode: 'technician' }, timeLimit: { minutes: 600, calendar: 'default' } }));
  });
  afterAll(() => server.stop());

  const dueInPast = (id: number) => server.running.services.models.WorkOrder.update({ node_due_at: past() }, { where: { id } });
  const stats = async (token: string) => {
    const reply = await server.api<{ data: Stats }>('GET', '/api/work-orders/stats', { token });
    expect(reply.status).toBe(200);
    return reply.body.data;
  };

  it('counts open orders per node, lists those past their limit and rates breaches by store and assignee', async () => {
    const stuck = await createOrder(server, staff, { flowCode: 'wo_stats', storeId: sh01 });
    await createOrder(server, staff, { flowCode: 'wo_stats', storeId: sh01 });
    const onTime = await createOrder(server, staff, { flowCode: 'wo_stats', storeId: sh01 });
    const late = await createOrder(server, staff, { flowCode: 'wo_stats', storeId: sh01 });
    await dueInPast(stuck.id);
    await dueInPast(late.id);
    for (const order of [onTime, late]) {
      const done = await server.api('POST', `/api/work-orders/${order.id}/complete`, { token: tech, body: { lockVersion: await accept(server, tech, order), form: {} } });
      expect(done.status).toBe(200);
    }

    const data = await stats(admin);
    expect(data.flows).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'wo_stats', latestVersion: 1 })]));
    expect(data.openByNode).toEqual(expect.arrayContaining([expect.objectContaining({ flowName: 'wo_stats', nodeKey: 'work', nodeName: '统计处理', open: 2, paused: 0, overdue: 1 })]));
    expect(data.overdue.map((o) => o.id)).toEqual([stuck.id]);
    expect(data.overdue[0]?.overdue).toBe(true);
    // measured: two completions (one late) and two open tasks with a limit (one past it)
    expect(data.breachByStore).toEqual([expect.objectContaining({ id: sh01, name: expect.any(String), measured: 4, breached: 2, rate: 0.5 })]);
    expect(data.breachByAssignee).toEqual([expect.objectContaining({ id: techId, measured: 4, breached: 2, rate: 0.5 })]);
  });

  it('keeps to the caller’s data scope', async () => {
    const other = await createOrder(server, admin, { flowCode: 'wo_stats', storeId: hz01 });
    await dueInPast(other.id);
    expect((await stats(admin)).overdue.map((o) => o.id)).toContain(other.id);
    const mine = await stats(staff);
    expect(mine.overdue.map((o) => o.id)).not.toContain(other.id);
    expect(mine.breachByStore.map((s) => s.id)).toEqual([sh01]);
  });

  it('rejects a bad window with 400 and refuses a caller without workorder:read', async () => {
    const bad = await server.api('GET', '/api/work-orders/stats?days=0', { token: admin });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.details)).toContain('days');
    const anonymous = await server.api('GET', '/api/work-orders/stats', {});
    expect(anonymous.status).toBe(401);
  });
});
