import { startTestServer, type TestServer } from '../../testing/test-server';
import { handoverKit } from './handover-test-kit';

interface HandoverView {
  id: number;
  status: string;
  counts: { total: number; done: number; pending: number; failed: number; refused: number };
}
interface ItemView {
  targetId: string;
  status: string;
  failReason: string | null;
  wecomStatus: number | null;
}

describe('in-service handover against the WeCom sandbox', () => {
  let server: TestServer;
  let kit: ReturnType<typeof handoverKit>;
  let admin: string;
  let from: string;
  let to: string;
  let customers: string[];

  const get = async (id: number, token = admin) => server.api<{ data: HandoverView }>('GET', `/api/handovers/${id}`, { token });
  const items = async (id: number) => (await server.api<{ data: { items: ItemView[] } }>('GET', `/api/handovers/${id}/items`, { token: admin })).body.data.items;

  beforeAll(async () => {
    server = await startTestServer({ env: { WECOM_SANDBOX: 'auto', WECOM_SANDBOX_CUSTOMERS: '80', JOB_WORKER_ENABLED: 'false' } });
    kit = handoverKit(server);
    admin = await server.login('admin');
    const employees = await kit.employees();
    const counts = await Promise.all(employees.map(async (e) => ({ userid: e.userid, n: (await kit.customersOf(e.userid)).length })));
    from = counts.sort((a, b) => b.n - a.n)[0]?.userid as string;
    to = employees.find((e) => e.userid !== from)?.userid as string;
    await kit.linkUser(from, 'GZ01');
    await kit.linkUser(to, 'GZ01');
    customers = (await kit.mirror(from, 'GZ01')).slice(0, 3);
  });
  afterAll(() => server.stop());

  it('surfaces a refusal WeCom reports through transfer_fail, delivered twice, and completes the others', async () => {
    const { models } = server.running.services;
    const [refusing, accepting, limited] = customers as [string, string, string];
    const created = await server.api<{ data: HandoverView }>('POST', '/api/handovers', {
      token: admin,
      body: { kind: 'in_service', handoverUserid: from, takeoverUserid: to, externalUserids: customers, chatIds: [], transferMessage: '您好，您的专属顾问已更换' },
    });
    expect(created.status).toBe(200);
    const id = created.body.data.id;
    expect(created.body.data.counts).toMatchObject({ total: 3, pending: 3 });

    // Every callback arrives twice: the refusal must still count once.
    await kit.control('faults', { duplicateCallbackRate: 1 });
    await kit.control('events/transfers-settled', { status: 3, externalUserIds: [refusing] });
    await kit.control('events/transfers-settled', { status: 4, externalUserIds: [limited] });
    await kit.settleCallbacks();
    await kit.control('faults', { duplicateCallbackRate: 0 });

    const afterCallbacks = await get(id);
    expect(afterCallbacks.body.data.counts).toEqual({ total: 3, done: 0, pending: 1, failed: 2, refused: 1 });
    const list = await items(id);
    expect(list.slice(0, 2)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ targetId: refusing, status: 'failed', failReason: 'customer_refused', wecomStatus: 3 }),
        expect.objectContaining({ targetId: limited, status: 'failed', failReason: 'takeover_limit', wecomStatus: 4 }),
      ]),
    );
    const failedAudits = await server.api<{ data: { items: unknown[] } }>('GET', '/api/audit-logs?action=handover.item_failed', { token: admin });
    expect(failedAudits.body.data.items).toHaveLength(2);

    await kit.control('events/transfers-settled', { status: 1, externalUserIds: [accepting] });
    const refreshed = await server.api<{ data: HandoverView }>('POST', `/api/handovers/${id}/refresh`, { token: admin });
    expect(refreshed.body.data).toMatchObject({ status: 'done', counts: { total: 3, done: 1, pending: 0, failed: 2, refused: 1 } });
    const customer = await models.Customer.findOne({ where: { external_userid: accepting }, raw: true });
    expect(await models.CustomerFollow.findOne({ where: { customer_id: customer?.id, wecom_userid: to }, raw: true })).toMatchObject({ status: 'active' });
    expect(await models.CustomerFollow.findOne({ where: { customer_id: customer?.id, wecom_userid: from }, raw: true })).toMatchObject({ status: 'transferred' });

    // The poll sees the refusal too, and leaves the item as the callback left it.
    await server.api('POST', `/api/handovers/${id}/refresh`, { token: admin });
    expect((await get(id)).body.data.counts).toEqual({ total: 3, done: 1, pending: 0, failed: 2, refused: 1 });
  });

  it('retries only the failed items, and keeps handovers of stores outside an actor’s scope from them', async () => {
    const handover = (await server.api<{ data: { items: HandoverView[] } }>('GET', '/api/handovers?kind=in_service', { token: admin })).body.data.items[0] as HandoverView;
    const retried = await server.api<{ data: HandoverView }>('POST', `/api/handovers/${handover.id}/retry`, { token: admin, body: {} });
    expect(retried.body.data).toMatchObject({ status: 'running', counts: { total: 3, done: 1, pending: 2, failed: 0 } });
    expect((await items(handover.id)).filter((i) => i.status === 'waiting')).toHaveLength(2);
    expect((await server.api('POST', `/api/handovers/${handover.id}/retry`, { token: admin, body: { itemIds: [999999] } })).status).toBe(409);

    const east = await server.login('region_east');
    expect((await get(handover.id, east)).status).toBe(404);
    expect((await server.api<{ data: { total: number } }>('GET', '/api/handovers', { token: east })).body.data.total).toBe(0);
    expect((await server.api('POST', `/api/handovers/${handover.id}/retry`, { token: east, body: {} })).status).toBe(404);
    expect((await server.api('GET', `/api/handovers/employees/${from}/assets`, { token: east })).status).toBe(403);
    const candidates = await server.api<{ data: Array<{ userid: string }> }>('GET', '/api/handovers/employees', { token: east });
    expect(candidates.body.data.map((e) => e.userid)).not.toContain(to);
  });
});
