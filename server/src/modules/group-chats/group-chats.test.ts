import type { WecomEvent } from '@scrm/wecom-adapter';
import { startTestServer, type TestServer } from '../../testing/test-server';
import { pendingCallbacks, sandboxOf, type SandboxCustomer } from '../tags/sandbox-fixture';

interface ChatView {
  id: number;
  chatId: string;
  name: string | null;
  ownerWecomUserid: string | null;
  storeId: number | null;
  memberCount: number;
  dismissedAt: string | null;
}
interface ChatDetail extends ChatView {
  members: Array<{ memberId: string; type: number; customerId: number | null }>;
}

describe('customer group chats against the WeCom sandbox', () => {
  let server: TestServer;
  let admin: string;
  let staff: string;
  let sandbox: ReturnType<typeof sandboxOf>;
  let seeded: { contacts: SandboxCustomer[]; customerIds: number[]; stores: Map<string, number> };
  let staffUserid: string;

  const services = () => server.running.services;
  const chats = async (token: string, query = '') => (await server.api<{ data: { items: ChatView[]; total: number } }>('GET', `/api/group-chats?pageSize=200${query}`, { token })).body.data;
  const chatOf = async (chatId: string) => (await chats(admin)).items.find((c) => c.chatId === chatId);
  const detail = async (id: number, token = admin) => server.api<{ data: ChatDetail }>('GET', `/api/group-chats/${id}`, { token });
  const groupsOf = async (customerId: number) => (await server.api<{ data: ChatView[] }>('GET', `/api/customers/${customerId}/group-chats`, { token: admin })).body.data;
  const timeline = (customerId: number) => services().models.CustomerTimeline.findAll({ where: { customer_id: customerId, kind: ['group.joined', 'group.left'] }, order: [['id', 'ASC']], raw: true });
  const processCallbacks = async (order: (ids: number[]) => number[] = (ids) => ids) => {
    await sandbox.deliver();
    for (const id of order(await pendingCallbacks(server))) await services().wecom.callbacks.processBatch([id]);
  };
  const replay = (event: Record<string, unknown>) =>
    services().db.transaction((tx) => services().wecom.events.dispatch({ kind: 'external_chat', corpId: 'ww_sandbox_demo', createTime: 1, format: 'internal', raw: {}, ...event } as unknown as WecomEvent, { tx, callbackId: 0 }));

  beforeAll(async () => {
    server = await startTestServer({ env: { WECOM_SANDBOX: 'auto', WECOM_SANDBOX_CUSTOMERS: '150', JOB_WORKER_ENABLED: 'false' } });
    admin = await server.login('admin');
    staff = await server.login('staff_sh01');
    sandbox = sandboxOf(server);
    // Every sandbox customer who is in a seeded chat becomes ours, so that members link to customers.
    const inChats = new Set((await sandbox.chats()).flatMap((c) => c.members.filter((m) => m.type === 2).map((m) => m.userid)));
    const all = await sandbox.customers();
    const order = [...all.filter((c) => inChats.has(c.externalUserid)), ...all.filter((c) => !inChats.has(c.externalUserid))];
    const { models } = services();
    seeded = { contacts: [], customerIds: [], stores: new Map((await models.Store.findAll({ raw: true })).map((s) => [s.code, Number(s.id)])) };
    for (const contact of order.slice(0, 40)) {
      const row = await models.Customer.create({ name: contact.name, external_userid: contact.externalUserid, store_id: seeded.stores.get('SH01') ?? null });
      seeded.contacts.push(contact);
      seeded.customerIds.push(Number(row.get('id')));
    }
    staffUserid = (await sandbox.chats())[0]?.owner ?? '';
    await models.User.update({ wecom_userid: staffUserid }, { where: { username: 'staff_sh01' } });
  });
  afterAll(() => server.stop());

  it('syncs every group chat with its members, linked to our customers, in the owner\'s store', async () => {
    expect((await server.api('POST', '/api/group-chats/sync', { token: staff })).status).toBe(403);
    expect((await server.api('POST', '/api/group-chats/sync', { token: admin })).status).toBe(200);
    await services().queue.drain();
    const run = (await server.api<{ data: { status: string; report: Record<string, number> } }>('GET', '/api/group-chats/sync', { token: admin })).body.data;
    const wecomChats = await sandbox.chats();
    expect(run).toMatchObject({ status: 'done', report: expect.objectContaining({ chats: wecomChats.length, created: wecomChats.length }) });

    const ours = await chats(admin);
    expect(ours.items.map((c) => c.chatId).sort()).toEqual(wecomChats.map((c) => c.chatId).sort());
    const first = wecomChats[0]!;
    const mine = ours.items.find((c) => c.chatId === first.chatId)!;
    expect(mine).toMatchObject({ ownerWecomUserid: first.owner, storeId: seeded.stores.get('SH01'), memberCount: first.members.length });
    const members = (await detail(mine.id)).body.data.members;
    expect(members.map((m) => m.memberId).sort()).toEqual(first.members.map((m) => m.userid).sort());
    const customerIdOf = new Map(seeded.contacts.map((c, i) => [c.externalUserid, seeded.customerIds[i]]));
    for (const member of members.filter((m) => m.type === 2)) expect(member.customerId).toBe(customerIdOf.get(member.memberId) ?? null);

    const linked = members.find((m) => m.customerId !== null)!;
    expect((await groupsOf(linked.customerId!)).map((c) => c.chatId)).toContain(first.chatId);
    expect((await timeline(linked.customerId!)).map((e) => e.kind)).toContain('group.joined');

    // A second run finds nothing new and writes no second timeline entry.
    const before = await services().models.CustomerTimeline.count();
    await server.api('POST', '/api/group-chats/sync', { token: admin });
    await services().queue.drain();
    expect(await services().models.CustomerTimeline.count()).toBe(before);

    // Store staff see their store's chats; others are not found.
    const staffChats = await chats(staff);
    expect(staffChats.items.every((c) => c.storeId === seeded.stores.get('SH01'))).toBe(true);
    const foreign = ours.items.find((c) => c.storeId !== seeded.stores.get('SH01'));
    if (foreign) expect((await detail(foreign.id, staff)).status).toBe(404);
    expect((await chats(admin, `&owner=${first.owner}`)).items.every((c) => c.ownerWecomUserid === first.owner)).toBe(true);
    expect((await chats(admin, '&name=%E5%AE%A2%E6%88%B7%E7%BE%A41')).items.every((c) => c.name?.includes('客户群1'))).toBe(true);
  });

  it('follows change_external_chat: create, members joining and leaving, rename, owner change and dismiss', async () => {
    const customerId = seeded.customerIds[0]!;
    const externalId = seeded.contacts[0]!.externalUserid;
    const created = await sandbox.post<{ chatId: string }>('events/chat-created', { owner: staffUserid, name: '门店福利群', memberIds: [externalId] });
    await processCallbacks();
    const chat = (await chatOf(created.chatId))!;
    expect(chat).toMatchObject({ name: '门店福利群', storeId: seeded.stores.get('SH01'), memberCount: 2, dismissedAt: null });
    expect((await groupsOf(customerId)).map((c) => c.chatId)).toContain(created.chatId);

    const joiner = seeded.contacts[1]!.externalUserid;
    await sandbox.post('events/chat-member-added', { chatId: created.chatId, memberId: joiner });
    await sandbox.post('events/chat-member-removed', { chatId: created.chatId, memberId: externalId, quitScene: 0 });
    await sandbox.post('events/chat-changed', { chatId: created.chatId, name: '门店会员群', notice: '欢迎' });
    await processCallbacks();
    const changed = (await detail(chat.id)).body.data;
    expect(changed).toMatchObject({ name: '门店会员群', memberCount: 2 });
    expect(changed.members.map((m) => m.memberId).sort()).toEqual([staffUserid, joiner].sort());
    expect((await groupsOf(customerId)).map((c) => c.chatId)).not.toContain(created.chatId);
    expect((await groupsOf(seeded.customerIds[1]!)).map((c) => c.chatId)).toContain(created.chatId);
    const entries = (await timeline(customerId)).filter((e) => JSON.parse(e.payload ?? '{}').chatId === created.chatId);
    expect(entries.map((e) => e.kind)).toEqual(['group.joined', 'group.left']);

    // Repeats change nothing.
    await replay({ changeType: 'update', chatId: created.chatId, updateDetail: 'del_member' });
    await replay({ changeType: 'create', chatId: created.chatId });
    expect((await timeline(customerId)).filter((e) => JSON.parse(e.payload ?? '{}').chatId === created.chatId)).toHaveLength(2);

    const employees = (await sandbox.employees()).map((e) => e.userid);
    const newOwner = employees.find((e) => e !== staffUserid)!;
    await sandbox.post('events/chat-changed', { chatId: created.chatId, owner: newOwner });
    await processCallbacks();
    expect((await chatOf(created.chatId))?.ownerWecomUserid).toBe(newOwner);

    await sandbox.post('events/chat-dismissed', { chatId: created.chatId });
    await processCallbacks();
    expect((await chatOf(created.chatId))?.dismissedAt).not.toBeNull();
    expect((await groupsOf(seeded.customerIds[1]!)).map((c) => c.chatId)).not.toContain(created.chatId);
    expect((await chats(admin, '&status=dismissed')).items.map((c) => c.chatId)).toContain(created.chatId);
  });

  it('ends in WeCom\'s state when change_external_chat events arrive out of order and twice', async () => {
    const externalId = seeded.contacts[2]!.externalUserid;
    const created = await sandbox.post<{ chatId: string }>('events/chat-created', { owner: staffUserid, name: '短命群', memberIds: [externalId] });
    await sandbox.post('events/chat-changed', { chatId: created.chatId, name: '改名后' });
    await sandbox.post('events/chat-dismissed', { chatId: created.chatId });
    // dismiss first, then the create and the rename: the chat stays dismissed.
    await processCallbacks((ids) => [...ids].reverse());
    expect(await chatOf(created.chatId)).toBeUndefined();

    const living = await sandbox.post<{ chatId: string }>('events/chat-created', { owner: staffUserid, name: '长久群', memberIds: [externalId] });
    await sandbox.post('events/chat-changed', { chatId: living.chatId, name: '长久群2' });
    await processCallbacks((ids) => [...ids].reverse());
    await replay({ changeType: 'create', chatId: living.chatId });
    await replay({ changeType: 'update', chatId: living.chatId, updateDetail: 'change_name' });
    expect(await chatOf(living.chatId)).toMatchObject({ name: '长久群2', memberCount: 2, dismissedAt: null });
    const joined = (await timeline(seeded.customerIds[2]!)).filter((e) => JSON.parse(e.payload ?? '{}').chatId === living.chatId);
    expect(joined.map((e) => e.kind)).toEqual(['group.joined']);
  });
});
