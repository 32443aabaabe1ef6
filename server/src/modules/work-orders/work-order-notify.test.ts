import { Op } from 'sequelize';
import { startTestServer, type TestServer } from '../../testing/test-server';
import { createOrder, oneTaskFlow, publishFlow, storeIdOf } from './work-order-test-kit';

interface ReceivedMessage {
  msgtype: string;
  content: { title: string; description: string; url: string; btntxt?: string };
}

describe('work-order notices reaching WeCom (the sandbox over HTTP)', () => {
  let server: TestServer;
  let admin: string;
  let sandboxUrl: string;

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
    server = await startTestServer({ env: { WECOM_SANDBOX: 'auto', WECOM_SANDBOX_CUSTOMERS: '5', JOB_WORKER_ENABLED: 'false' } });
    sandboxUrl = server.running.sandbox?.url ?? '';
    admin = await server.login('admin');
    // The sandbox corp's employees become technicians of SH01, with their WeCom user ids.
    await api('POST', '/api/wecom/directory/sync');
    await drain();
    const technician = (await api<Array<{ id: number; code: string }>>('GET', '/api/roles')).find((r) => r.code === 'technician');
    await api('PUT', '/api/wecom/directory/departments/1/mapping', { storeId: await storeIdOf(server, 'SH01'), roleId: technician?.id });
    await drain();
  }, 120_000);
  afterAll(() => server.stop());

  it("sends an escalation's textcard, linking to the order on the technician page, to the assignee's WeCom account", async () => {
    const { models, timers } = server.running.services;
    const employee = await models.User.findOne({ where: { wecom_userid: { [Op.ne]: null }, status: 'active' }, order: [['id', 'ASC']], raw: true });
    if (!employee?.wecom_userid) throw new Error('no synced employee');
    await publishFlow(server, admin, 'wo_notice', oneTaskFlow({ name: '上门安装', assignee: { strategy: 'user', userId: Number(employee.id) }, escalations: [{ afterMinutes: 30, action: 'remind_assignee' }] }));
    const order = await createOrder(server, admin, { flowCode: 'wo_notice', storeId: Number(employee.store_id) });

    await timers.scanDue({ now: new Date(Date.now() + 30 * 24 * 3600_000) });
    await drain();

    const received = await fetch(`${sandboxUrl}/__sandbox/state/messages?userid=${encodeURIComponent(employee.wecom_userid)}`);
    const { messages } = (await received.json()) as { messages: ReceivedMessage[] };
    const cards = messages.filter((m) => m.msgtype === 'textcard' && m.content.title === '工单超时提醒：上门安装');
    expect(cards).toHaveLength(1);
    expect(cards[0]?.content).toMatchObject({ url: expect.stringMatching(new RegExp(`/m/#/orders/${order.id}$`)), btntxt: '查看工单' });
    expect(cards[0]?.content.description).toContain((await models.WorkOrder.findByPk(order.id, { raw: true }))?.order_no);
  }, 60_000);
});
