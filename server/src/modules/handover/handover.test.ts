import { startTestServer, type TestServer } from '../../testing/test-server';
import { handoverKit } from './handover-test-kit';

interface Counts {
  total: number;
  done: number;
  pending: number;
  failed: number;
  refused: number;
}
interface HandoverView {
  id: number;
  status: string;
  counts: Counts;
}
interface ItemView {
  type: string;
  targetId: string;
  status: string;
  failReason: string | null;
  wecomStatus: number | null;
  errcode: number | null;
}

describe('handover against the WeCom sandbox', () => {
  let server: TestServer;
  let kit: ReturnType<typeof handoverKit>;
  let admin: string;
  let regionEast: string;
  let leaver: string;
  let heir: string;
  let leaverCustomers: string[];
  let chatIds: string[];

  const items = async (id: number, token = admin) => (await server.api<{ data: { items: ItemView[] } }>('GET', `/api/handovers/${id}/items?pageSize=200`, { token })).body.data.items;
  const refresh = async (id: number) => (await server.api<{ data: HandoverView }>('POST', `/api/handovers/${id}/refresh`, { token: admin })).body.data;

  beforeAll(async () => {
    server = await startTestServer({ env: { WECOM_SANDBOX: 'auto', WECOM_SANDBOX_CUSTOMERS: '80', JOB_WORKER_ENABLED: 'false' } });
    kit = handoverKit(server);
    admin = await server.login('admin');
    regionEast = await server.login('region_east');
    const chats = await kit.chats();
    const employees = await kit.employees();
    leaver = chats[0]?.owner as string;
    heir = employees.find((e) => e.userid !== leaver)?.userid as string;
    await kit.linkUser(heir, 'HZ01');
    const leaverUserId = await kit.linkUser(leaver, 'SH01');
    leaverCustomers = await kit.mirror(leaver, 'SH01');
    chatIds = chats.filter((c) => c.owner === leaver).map((c) => c.chatId);
    // The employee leaves WeCom; the directory sync disables our user and records when.
    await kit.control('events/employee-left', { userId: leaver });
    await server.running.services.models.User.update({ status: 'disabled', wecom_left_at: new Date() }, { where: { id: leaverUserId } });
    await kit.settleCallbacks();
  });
  afterAll(() => server.stop());

  it('lists the departed employee with their customers, chats and WeCom’s unassigned customers, within scope only', async () => {
    expect(leaverCustomers.length).toBeGreaterThan(0);
    const reply = await server.api<{ data: { items: Array<{ userid: string; customerCount: number; groupCount: number; unassignedCount: number; storeName: string }>; wecomError: string | null } }>('GET', '/api/handovers/departed-employees', { token: regionEast });
    expect(reply.status).toBe(200);
    expect(reply.body.data.wecomError).toBeNull();
    expect(reply.body.data.items).toEqual([expect.objectContaining({ userid: leaver, customerCount: leaverCustomers.length, groupCount: chatIds.length, unassignedCount: leaverCustomers.length, storeName: '上海徐汇店' })]);
    const assets = await server.api<{ data: { customers: Array<{ externalUserid: string }>; groups: Array<{ chatId: string }> } }>('GET', `/api/handovers/employees/${leaver}/assets`, { token: regionEast });
    expect(assets.body.data.customers.map((c) => c.externalUserid).sort()).toEqual([...leaverCustomers].sort());
    expect(assets.body.data.groups.map((g) => g.chatId)).toEqual(chatIds);
    expect((await server.api('GET', '/api/handovers/departed-employees', { token: await server.login('manager_sh01') })).status).toBe(403);
  });

  it('refuses bad requests with the field at fault, and employees outside the actor’s scope', async () => {
    const post = (body: unknown, token = admin) => server.api<{ details: Array<{ path: string }> }>('POST', '/api/handovers', { token, body });
    expect((await post({ kind: 'resigned', handoverUserid: leaver, takeoverUserid: leaver })).body.details).toEqual([expect.objectContaining({ path: 'body.takeoverUserid' })]);
    expect((await post({ kind: 'resigned', handoverUserid: heir, takeoverUserid: leaver })).status).toBe(400);
    expect((await post({ kind: 'in_service', handoverUserid: leaver, takeoverUserid: heir })).body.details).toEqual([expect.objectContaining({ path: 'body.handoverUserid' })]);
    expect((await post({ kind: 'resigned', handoverUserid: leaver, takeoverUserid: heir, transferMessage: 'hi' })).body.details).toEqual([expect.objectContaining({ path: 'body.transferMessage' })]);
    const employees = await kit.employees();
    const outsider = employees.find((e) => ![leaver, heir].includes(e.userid))?.userid as string;
    await kit.linkUser(outsider, 'GZ01');
    const outside = await post({ kind: 'resigned', handoverUserid: leaver, takeoverUserid: outsider }, regionEast);
    expect(outside.status).toBe(403);
    expect(outside.body.details).toEqual([expect.objectContaining({ path: 'body.takeoverUserid' })]);
    expect((await post({ kind: 'resigned', handoverUserid: leaver, takeoverUserid: heir }, await server.login('manager_sh01'))).status).toBe(403);
    expect(await server.running.services.models.Handover.count()).toBe(0);
  });

  it('hands a departed employee’s customers and chats over, and tracks every customer until taken over', async () => {
    const { models } = server.running.services;
    const created = await server.api<{ data: HandoverView }>('POST', '/api/handovers', { token: regionEast, body: { kind: 'resigned', handoverUserid: leaver, takeoverUserid: heir } });
    expect(created.status).toBe(200);
    const handover = created.body.data;
    expect(handover.counts).toEqual({ total: leaverCustomers.length + chatIds.length, done: chatIds.length, pending: leaverCustomers.length, failed: 0, refused: 0 });
    const waiting = await items(handover.id);
    expect(waiting.filter((i) => i.type === 'customer')).toEqual(leaverCustomers.map(() => expect.objectContaining({ status: 'waiting', errcode: 0, wecomStatus: 2 })));
    expect(await models.GroupChat.findAll({ where: { chat_id: chatIds }, raw: true })).toEqual(chatIds.map(() => expect.objectContaining({ owner_wecom_userid: heir, wecom_status: 3 })));
    // A second handover of the same customers is refused while this one runs.
    expect((await server.api('POST', '/api/handovers', { token: admin, body: { kind: 'resigned', handoverUserid: leaver, takeoverUserid: heir, externalUserids: leaverCustomers.slice(0, 1) } })).status).toBe(409);

    expect((await refresh(handover.id)).counts.pending).toBe(leaverCustomers.length);
    await kit.control('events/transfers-settled', { status: 1 });
    const done = await refresh(handover.id);
    expect(done).toMatchObject({ status: 'done', counts: { total: leaverCustomers.length + chatIds.length, done: leaverCustomers.length + chatIds.length, pending: 0, failed: 0, refused: 0 } });

    const hz01 = await kit.storeId('HZ01');
    const customers = await models.Customer.findAll({ where: { external_userid: leaverCustomers }, raw: true });
    expect(customers).toEqual(leaverCustomers.map(() => expect.objectContaining({ store_id: hz01 })));
    const ids = customers.map((c) => c.id);
    expect(await models.CustomerFollow.count({ where: { customer_id: ids, wecom_userid: leaver, status: 'transferred' } })).toBe(ids.length);
    expect(await models.CustomerFollow.count({ where: { customer_id: ids, wecom_userid: heir, status: 'active' } })).toBe(ids.length);
    expect(await models.CustomerTimeline.count({ where: { customer_id: ids, kind: 'follow.transferred' } })).toBe(ids.length);
    const audit = await server.api<{ data: { items: unknown[] } }>('GET', '/api/audit-logs?action=handover.created', { token: admin });
    expect(audit.body.data.items).toHaveLength(1);

    // Polling again — through the API and the scheduled job — changes nothing.
    const before = { timeline: await models.CustomerTimeline.count(), follows: await models.CustomerFollow.count(), audits: await models.AuditLog.count() };
    await refresh(handover.id);
    await server.running.services.queue.enqueue(server.running.services.handover.pollJob, {});
    await server.running.services.queue.drain();
    expect({ timeline: await models.CustomerTimeline.count(), follows: await models.CustomerFollow.count(), audits: await models.AuditLog.count() }).toEqual(before);
    expect((await refresh(handover.id)).counts.done).toBe(leaverCustomers.length + chatIds.length);

    const departed = await server.api<{ data: { items: Array<{ userid: string; customerCount: number; unassignedCount: number; groupCount: number }> } }>('GET', '/api/handovers/departed-employees', { token: admin });
    expect(departed.body.data.items.find((e) => e.userid === leaver)).toMatchObject({ customerCount: 0, unassignedCount: 0, groupCount: 0 });
  });
});
