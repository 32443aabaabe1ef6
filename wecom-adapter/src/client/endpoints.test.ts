import { type StubWecom, startStubWecom } from './testing/stub-wecom';
import { createTestClient } from './testing/test-client';
import { type WecomClient } from './wecom-client';

type Row = [name: string, run: (c: WecomClient) => Promise<unknown>, api: string, method: 'GET' | 'POST', app: string, sent?: object];

const rows: Row[] = [
  ['directory.listDepartments', (c) => c.directory.listDepartments(2), 'department/list', 'GET', 'contact', { id: '2' }],
  ['directory.listDepartmentIds', (c) => c.directory.listDepartmentIds(), 'department/simplelist', 'GET', 'contact'],
  ['directory.listUserIds', (c) => c.directory.listUserIds({ limit: 10 }), 'user/list_id', 'POST', 'contact', { limit: 10 }],
  ['directory.listUsersSimple', (c) => c.directory.listUsersSimple(1), 'user/simplelist', 'GET', 'contact', { department_id: '1' }],
  ['directory.listUsers', (c) => c.directory.listUsers(1), 'user/list', 'GET', 'contact', { department_id: '1' }],
  ['directory.getUser', (c) => c.directory.getUser('zhangsan'), 'user/get', 'GET', 'contact', { userid: 'zhangsan' }],
  ['externalContact.listFollowUsers', (c) => c.externalContact.listFollowUsers(), 'externalcontact/get_follow_user_list', 'GET', 'customer'],
  ['externalContact.list', (c) => c.externalContact.list('zhangsan'), 'externalcontact/list', 'GET', 'customer', { userid: 'zhangsan' }],
  ['externalContact.get', (c) => c.externalContact.get('wm1'), 'externalcontact/get', 'GET', 'customer', { external_userid: 'wm1' }],
  ['externalContact.batchGetByUser', (c) => c.externalContact.batchGetByUser({ userid_list: ['a'] }), 'externalcontact/batch/get_by_user', 'POST', 'customer', { userid_list: ['a'] }],
  ['externalContact.remark', (c) => c.externalContact.remark({ userid: 'a', external_userid: 'wm1', remark: 'r' }), 'externalcontact/remark', 'POST', 'customer', { remark: 'r' }],
  ['tags.list', (c) => c.tags.list({ group_id: ['g'] }), 'externalcontact/get_corp_tag_list', 'POST', 'customer', { group_id: ['g'] }],
  ['tags.add', (c) => c.tags.add({ group_name: 'G', tag: [{ name: 'T' }] }), 'externalcontact/add_corp_tag', 'POST', 'customer', { group_name: 'G' }],
  ['tags.edit', (c) => c.tags.edit({ id: 't1', name: 'N' }), 'externalcontact/edit_corp_tag', 'POST', 'customer', { id: 't1' }],
  ['tags.remove', (c) => c.tags.remove({ tag_id: ['t1'] }), 'externalcontact/del_corp_tag', 'POST', 'customer', { tag_id: ['t1'] }],
  ['tags.mark', (c) => c.tags.mark({ userid: 'a', external_userid: 'wm1', add_tag: ['t1'] }), 'externalcontact/mark_tag', 'POST', 'customer', { add_tag: ['t1'] }],
  ['groupChats.list', (c) => c.groupChats.list({ limit: 10 }), 'externalcontact/groupchat/list', 'POST', 'customer', { limit: 10 }],
  ['groupChats.get', (c) => c.groupChats.get('wr1'), 'externalcontact/groupchat/get', 'POST', 'customer', { chat_id: 'wr1', need_name: 1 }],
  ['messages.send', (c) => c.messages.send({ touser: 'a', msgtype: 'text', text: { content: 'hi' } }), 'message/send', 'POST', 'agent', { agentid: 1000002, msgtype: 'text' }],
  ['messages.addMsgTemplate', (c) => c.messages.addMsgTemplate({ external_userid: ['wm1'], text: { content: 'x' } }), 'externalcontact/add_msg_template', 'POST', 'customer', { external_userid: ['wm1'] }],
  ['messages.getGroupMsgSendResult', (c) => c.messages.getGroupMsgSendResult({ msgid: 'm', userid: 'a' }), 'externalcontact/get_groupmsg_send_result', 'POST', 'customer', { msgid: 'm' }],
  ['messages.sendWelcomeMsg', (c) => c.messages.sendWelcomeMsg({ welcome_code: 'w' }), 'externalcontact/send_welcome_msg', 'POST', 'customer', { welcome_code: 'w' }],
  ['contactWays.add', (c) => c.contactWays.add({ type: 1, scene: 2, user: ['a'] }), 'externalcontact/add_contact_way', 'POST', 'customer', { type: 1, scene: 2 }],
  ['contactWays.update', (c) => c.contactWays.update({ config_id: 'cfg', remark: 'r' }), 'externalcontact/update_contact_way', 'POST', 'customer', { config_id: 'cfg' }],
  ['contactWays.remove', (c) => c.contactWays.remove('cfg'), 'externalcontact/del_contact_way', 'POST', 'customer', { config_id: 'cfg' }],
  ['transfers.transferCustomer', (c) => c.transfers.transferCustomer({ handover_userid: 'a', takeover_userid: 'b', external_userid: ['wm1'] }), 'externalcontact/transfer_customer', 'POST', 'customer', { handover_userid: 'a' }],
  ['transfers.transferResult', (c) => c.transfers.transferResult({ handover_userid: 'a', takeover_userid: 'b' }), 'externalcontact/transfer_result', 'POST', 'customer', { takeover_userid: 'b' }],
  ['transfers.resignedTransferCustomer', (c) => c.transfers.resignedTransferCustomer({ handover_userid: 'a', takeover_userid: 'b', external_userid: ['wm1'] }), 'externalcontact/resigned/transfer_customer', 'POST', 'customer', { external_userid: ['wm1'] }],
  ['transfers.resignedTransferResult', (c) => c.transfers.resignedTransferResult({ handover_userid: 'a', takeover_userid: 'b' }), 'externalcontact/resigned/transfer_result', 'POST', 'customer', { handover_userid: 'a' }],
  ['transfers.resignedGroupChatTransfer', (c) => c.transfers.resignedGroupChatTransfer({ chat_id_list: ['wr1'], new_owner: 'b' }), 'externalcontact/groupchat/transfer', 'POST', 'customer', { chat_id_list: ['wr1'], new_owner: 'b' }],
  ['transfers.groupChatOnjobTransfer', (c) => c.transfers.groupChatOnjobTransfer({ chat_id_list: ['wr1'], new_owner: 'b' }), 'externalcontact/groupchat/onjob_transfer', 'POST', 'customer', { new_owner: 'b' }],
  ['transfers.unassignedList', (c) => c.transfers.unassignedList({ page_size: 100 }), 'externalcontact/get_unassigned_list', 'POST', 'customer', { page_size: 100 }],
  ['jsapi.getCorpTicket', (c) => c.jsapi.getCorpTicket(), 'get_jsapi_ticket', 'GET', 'agent'],
  ['jsapi.getAgentTicket', (c) => c.jsapi.getAgentTicket(), 'ticket/get', 'GET', 'agent', { type: 'agent_config' }],
  ['auth.getUserInfo', (c) => c.auth.getUserInfo('CODE'), 'auth/getuserinfo', 'GET', 'agent', { code: 'CODE' }],
];
const cases = rows.map(([name, run, api, method, app, sent]) => ({ name, run, api, method, app, sent }));

describe('endpoints', () => {
  let stub: StubWecom;
  beforeEach(async () => {
    stub = await startStubWecom();
  });
  afterEach(() => stub.close());

  it.each(cases)('$name calls $method $api with the $app app token', async ({ run, api, method, app, sent }) => {
    const { client } = createTestClient(stub);
    await run(client);
    const [req] = stub.calls(api);
    expect(req?.method).toBe(method);
    expect(stub.secretUsedBy(req!)).toBe(`${app}-secret`);
    if (sent) expect(method === 'GET' ? req?.query : req?.body).toMatchObject(sent);
  });

  it('fills missing lists with [] so callers can iterate a sparse reply', async () => {
    const { client } = createTestClient(stub);
    stub.handle('externalcontact/get', () => ({ errcode: 0, errmsg: 'ok', external_contact: { external_userid: 'wm1' } }));
    const res = await client.externalContact.get('wm1');
    expect(res).toMatchObject({ follow_user: [], next_cursor: '', external_contact: { external_userid: 'wm1' } });
    expect((await client.groupChats.get('wr1')).group_chat).toMatchObject({ member_list: [], admin_list: [] });
  });

  it('uploads media as multipart field "media" with its filename, type and bytes', async () => {
    const { client } = createTestClient(stub);
    stub.handle('media/upload', () => ({ errcode: 0, errmsg: '', type: 'image', media_id: 'MEDIA', created_at: '1380000000' }));
    const bytes = Buffer.from('\x89PNG fake image bytes');
    const res = await client.media.upload({ type: 'image', filename: 'a.png', data: bytes, contentType: 'image/png' });

    expect(res).toMatchObject({ media_id: 'MEDIA', created_at: '1380000000' });
    const [req] = stub.calls('media/upload');
    expect(req?.query.type).toBe('image');
    expect(stub.secretUsedBy(req!)).toBe('agent-secret');
    expect(req?.file).toMatchObject({ field: 'media', filename: 'a.png', mimeType: 'image/png' });
    expect(req?.file?.data.equals(bytes)).toBe(true);
  });

  it('walks batch/get_by_user in chunks of 100 member ids and follows each next_cursor', async () => {
    const { client } = createTestClient(stub);
    stub.handle('externalcontact/batch/get_by_user', (req) => {
      const { userid_list, cursor } = req.body as { userid_list: string[]; cursor: string };
      const page = Number(cursor || 0);
      const item = { external_contact: { external_userid: `${userid_list[0]}-${page}` }, follow_info: { userid: userid_list[0] } };
      return { errcode: 0, errmsg: 'ok', external_contact_list: [item], next_cursor: page < 2 ? String(page + 1) : '' };
    });
    const userIds = Array.from({ length: 150 }, (_, i) => `u${i}`);
    const pages: string[] = [];
    const seen: string[] = [];
    for await (const entry of client.externalContact.batchGetByUserAll(userIds, { onPage: (p) => void pages.push(`${p.page}:${p.cursor}`) })) {
      seen.push(entry.external_contact.external_userid);
    }
    expect(seen).toEqual(['u0-0', 'u0-1', 'u0-2', 'u100-0', 'u100-1', 'u100-2']);
    expect(pages).toEqual(['1:', '2:1', '3:2', '1:', '2:1', '3:2']);
    const sizes = stub.calls('externalcontact/batch/get_by_user').map((r) => (r.body as { userid_list: string[] }).userid_list.length);
    expect(sizes).toEqual([100, 100, 100, 50, 50, 50]);
  });

  it('stops paginating if WeCom repeats a cursor instead of looping forever', async () => {
    const { client } = createTestClient(stub);
    stub.handle('externalcontact/groupchat/list', () => ({ errcode: 0, errmsg: 'ok', group_chat_list: [{ chat_id: 'wr1' }], next_cursor: 'same' }));
    const ids: string[] = [];
    for await (const chat of client.groupChats.listAll()) ids.push(chat.chat_id);
    expect(ids).toEqual(['wr1', 'wr1']);
  });

  it('caches JS-SDK tickets in the store and fetches again only near expiry', async () => {
    const { client, clock } = createTestClient(stub);
    stub.handle('get_jsapi_ticket', () => ({ errcode: 0, errmsg: 'ok', ticket: `T${stub.calls('get_jsapi_ticket').length}`, expires_in: 7200 }));
    const first = await Promise.all([client.jsapi.ticket('corp'), client.jsapi.ticket('corp')]);
    clock.advance(60 * 60_000);
    const later = await client.jsapi.ticket('corp');
    clock.advance(60 * 60_000);
    const renewed = await client.jsapi.ticket('corp');
    expect([...first, later, renewed]).toEqual(['T1', 'T1', 'T1', 'T2']);
  });
});
