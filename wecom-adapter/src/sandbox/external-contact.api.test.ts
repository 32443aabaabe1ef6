import { startTestSandbox } from './sandbox-test-kit';

describe('sandbox externalcontact and directory APIs', () => {
  let kit: Awaited<ReturnType<typeof startTestSandbox>>;
  let token: string;
  let userids: string[];

  beforeAll(async () => {
    kit = await startTestSandbox({ seed: { employees: 7, customers: 1234, seed: 7 } });
    token = await kit.token('customer');
    userids = kit.sandbox.state.directory.activeEmployees().map((e) => e.userid);
  });
  afterAll(() => kit.close());

  it('walks every follow relation exactly once with batch/get_by_user pagination', async () => {
    const seen = new Map<string, number>();
    const customers = new Set<string>();
    let cursor = '';
    let pages = 0;
    do {
      const page = await kit.post('externalcontact/batch/get_by_user', token, { userid_list: userids, cursor, limit: 100 });
      expect(page.errcode).toBe(0);
      const list = page.external_contact_list as Array<{ external_contact: { external_userid: string }; follow_info: { userid: string; tag_id: string[] } }>;
      expect(list.length).toBeLessThanOrEqual(100);
      for (const item of list) {
        const key = `${item.follow_info.userid}/${item.external_contact.external_userid}`;
        seen.set(key, (seen.get(key) ?? 0) + 1);
        customers.add(item.external_contact.external_userid);
        expect(Array.isArray(item.follow_info.tag_id)).toBe(true);
      }
      cursor = page.next_cursor as string;
      pages += 1;
    } while (cursor);
    const relations = [...kit.sandbox.state.customers.customers.values()].reduce((n, c) => n + c.follows.length, 0);
    expect(seen.size).toBe(relations);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    expect(customers.size).toBe(1234);
    expect(pages).toBe(Math.ceil(relations / 100));
  });

  it('defaults to 50 per page and rejects limit > 100, more than 100 userids, or a forged cursor', async () => {
    const first = await kit.post('externalcontact/batch/get_by_user', token, { userid_list: userids });
    expect((first.external_contact_list as unknown[]).length).toBe(50);
    expect((await kit.post('externalcontact/batch/get_by_user', token, { userid_list: userids, limit: 101 })).errcode).toBe(40058);
    const many = Array.from({ length: 101 }, (_, i) => userids[i % userids.length]);
    expect((await kit.post('externalcontact/batch/get_by_user', token, { userid_list: many })).errcode).toBe(40058);
    expect((await kit.post('externalcontact/batch/get_by_user', token, { userid_list: userids, cursor: 'garbage' })).errcode).toBe(40058);
  });

  it('lists a member’s customers and gets one with its follow users', async () => {
    const list = await kit.get('externalcontact/list', token, { userid: userids[0] });
    const id = (list.external_userid as string[])[0] as string;
    expect(id).toMatch(/^w[mo][A-Za-z0-9]{30}$/);
    const got = await kit.get('externalcontact/get', token, { external_userid: id });
    expect(got).toMatchObject({ errcode: 0, external_contact: { external_userid: id }, next_cursor: '' });
    expect((got.follow_user as Array<{ userid: string }>).some((f) => f.userid === userids[0])).toBe(true);
    expect((await kit.get('externalcontact/get', token, { external_userid: 'wmnothere' })).errcode).toBe(40096);
  });

  it('adds corp tags, marks a customer and shows the tag by name; remark updates the relation', async () => {
    const added = await kit.post('externalcontact/add_corp_tag', token, { group_name: '测试分组', tag: [{ name: '高意向' }, { name: '低意向' }] });
    expect(added.errcode).toBe(0);
    const tagId = (added.tag_group as { tag: Array<{ id: string }> }).tag[0]?.id as string;
    expect((await kit.post('externalcontact/add_corp_tag', token, { group_name: '测试分组', tag: [{ name: '高意向' }] })).errcode).toBe(40071);

    const id = (await kit.get('externalcontact/list', token, { userid: userids[1] })).external_userid as string[];
    const customer = id[0] as string;
    expect((await kit.post('externalcontact/mark_tag', token, { userid: userids[1], external_userid: customer, add_tag: [tagId] })).errcode).toBe(0);
    expect((await kit.post('externalcontact/mark_tag', token, { userid: userids[1], external_userid: customer, add_tag: ['etnope'] })).errcode).toBe(40068);
    expect((await kit.post('externalcontact/remark', token, { userid: userids[1], external_userid: customer, remark: '王总', remark_mobiles: ['13800000001'] })).errcode).toBe(0);

    const got = await kit.get('externalcontact/get', token, { external_userid: customer });
    const follow = (got.follow_user as Array<{ userid: string; remark: string; tags: Array<{ tag_id: string; tag_name: string; group_name: string }> }>).find((f) => f.userid === userids[1]);
    expect(follow?.remark).toBe('王总');
    expect(follow?.tags).toContainEqual({ tag_id: tagId, tag_name: '高意向', group_name: '测试分组', type: 1 });

    expect((await kit.post('externalcontact/del_corp_tag', token, { tag_id: [tagId] })).errcode).toBe(0);
    const list = await kit.post('externalcontact/get_corp_tag_list', token, {});
    expect(JSON.stringify(list)).not.toContain(tagId);
    const byId = await kit.post('externalcontact/get_corp_tag_list', token, { tag_id: [tagId] });
    expect(byId.tag_group).toEqual([expect.objectContaining({ tag: [expect.objectContaining({ id: tagId, deleted: true })] })]);
  });

  it('serves the directory to the contact secret: departments, list_id pages, users', async () => {
    const contact = await kit.token('contact');
    const departments = await kit.get('department/list', contact);
    expect((departments.department as Array<{ id: number }>)[0]?.id).toBe(1);
    const ids = await kit.post('user/list_id', contact, { limit: 2 });
    expect((ids.dept_user as unknown[]).length).toBe(2);
    expect(ids.next_cursor).not.toBe('');
    expect((await kit.post('user/list_id', contact, { limit: 10001 })).errcode).toBe(40058);
    const users = await kit.get('user/list', contact, { department_id: 1, fetch_child: 1 });
    expect((users.userlist as unknown[]).length).toBe(7);
    expect((await kit.get('user/get', contact, { userid: userids[0] })).userid).toBe(userids[0]);
    expect((await kit.get('user/get', contact, { userid: 'ghost' })).errcode).toBe(60111);
  });

  it('pages group chats with limit 1..1000 and returns members', async () => {
    const list = await kit.post('externalcontact/groupchat/list', token, { limit: 5 });
    expect((list.group_chat_list as unknown[]).length).toBe(5);
    expect((await kit.post('externalcontact/groupchat/list', token, { limit: 1001 })).errcode).toBe(40058);
    const chatId = (list.group_chat_list as Array<{ chat_id: string }>)[0]?.chat_id;
    const chat = await kit.post('externalcontact/groupchat/get', token, { chat_id: chatId, need_name: 1 });
    expect(chat).toMatchObject({ errcode: 0, group_chat: { chat_id: chatId, member_list: expect.any(Array) } });
  });
});
