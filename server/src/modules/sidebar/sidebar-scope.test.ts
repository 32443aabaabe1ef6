import { startTestServer, type TestServer } from '../../testing/test-server';

interface GroupView {
  name: string;
  memberCount: number;
  customerCount: number;
  members: Array<{ memberId: string; memberType: number; name: string; customer: { id: number; externalUserId: string } | null }>;
}

/**
 * What the sidebar shows is scoped on the server: store staff open only their own store's customers
 * and group chats, whatever external_userid or chat_id the WeCom client hands the page.
 */
describe('chat sidebar data scope', () => {
  let server: TestServer;
  let staff: string;
  let admin: string;
  const ids = { own: 0, other: 0 };

  beforeAll(async () => {
    server = await startTestServer();
    staff = await server.login('staff_sh01');
    admin = await server.login('admin');
    const { models } = server.running.services;
    const store = async (code: string) => Number((await models.Store.findOne({ where: { code }, raw: true }))?.id);
    const [sh01, gz01] = [await store('SH01'), await store('GZ01')];
    const customer = async (storeId: number, name: string, externalUserid: string) =>
      Number((await models.Customer.create({ store_id: storeId, name, external_userid: externalUserid, added_at: new Date() })).get('id'));
    ids.own = await customer(sh01, '徐汇的客户', 'wm_sidebar_own');
    ids.other = await customer(gz01, '天河的客户', 'wm_sidebar_other');
    const group = async (storeId: number, chatId: string, name: string) =>
      Number((await models.GroupChat.create({ chat_id: chatId, name, store_id: storeId, owner_wecom_userid: 'zhangsan', member_count: 3 })).get('id'));
    const member = (groupChatId: number, memberId: string, memberType: number, name: string, customerId: number | null) =>
      models.GroupChatMember.create({ group_chat_id: groupChatId, member_id: memberId, member_type: memberType, name, customer_id: customerId });
    const own = await group(sh01, 'wr_sidebar_own', '徐汇老客群');
    await member(own, 'zhangsan', 1, '张三', null);
    await member(own, 'wm_sidebar_own', 2, '徐汇的客户', ids.own);
    await member(own, 'wm_sidebar_other', 2, '天河的客户', null);
    await group(gz01, 'wr_sidebar_other', '天河老客群');
  });
  afterAll(() => server.stop());

  it("opens a customer of the staff's own store by external_userid", async () => {
    const reply = await server.api<{ data: { id: number; name: string } }>('GET', '/api/customers/by-external/wm_sidebar_own', { token: staff });
    expect(reply.status).toBe(200);
    expect(reply.body.data).toMatchObject({ id: ids.own, name: '徐汇的客户' });
  });

  it("answers 404 for another store's customer exactly as for an unknown one", async () => {
    const other = await server.api('GET', '/api/customers/by-external/wm_sidebar_other', { token: staff });
    const unknown = await server.api('GET', '/api/customers/by-external/wm_nobody_at_all', { token: staff });
    expect(other.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(other.body.code).toBe(unknown.body.code);
    expect(JSON.stringify(other.body)).not.toContain('天河');
    // it is there: an admin opens it
    expect((await server.api('GET', '/api/customers/by-external/wm_sidebar_other', { token: admin })).status).toBe(200);
  });

  it("shows the staff's own group chat with only their store's customers linked, and 404 for another store's", async () => {
    const own = await server.api<{ data: GroupView }>('GET', '/api/sidebar/group-chats/wr_sidebar_own', { token: staff });
    expect(own.status).toBe(200);
    expect(own.body.data).toMatchObject({ name: '徐汇老客群', memberCount: 3, customerCount: 2 });
    const byId = new Map(own.body.data.members.map((m) => [m.memberId, m]));
    expect(byId.get('wm_sidebar_own')?.customer).toEqual({ id: ids.own, name: '徐汇的客户', externalUserId: 'wm_sidebar_own' });
    // a member who is another store's customer is listed, but not opened as a customer
    expect(byId.get('wm_sidebar_other')).toMatchObject({ memberType: 2, customer: null });
    expect(byId.get('zhangsan')).toMatchObject({ memberType: 1, customer: null });
    // the admin sees that member linked (matched by external_userid)
    const asAdmin = await server.api<{ data: GroupView }>('GET', '/api/sidebar/group-chats/wr_sidebar_own', { token: admin });
    expect(asAdmin.body.data.members.find((m) => m.memberId === 'wm_sidebar_other')?.customer).toMatchObject({ id: ids.other });

    const other = await server.api('GET', '/api/sidebar/group-chats/wr_sidebar_other', { token: staff });
    expect(other.status).toBe(404);
    expect((await server.api('GET', '/api/sidebar/group-chats/wr_sidebar_other', { token: admin })).status).toBe(200);
  });

  it('refuses the group chat to a caller who is not signed in', async () => {
    expect((await server.api('GET', '/api/sidebar/group-chats/wr_sidebar_own')).status).toBe(401);
  });
});
