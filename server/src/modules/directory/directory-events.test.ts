import { startDirectoryServer, type DirectoryKit } from './directory-test-kit';

const cdata = (name: string, value: string | number) => `<${name}><![CDATA[${value}]]></${name}>`;

describe('change_contact callbacks', () => {
  let kit: DirectoryKit;
  let ids: Awaited<ReturnType<DirectoryKit['ids']>>;
  let createTime = 1_800_000_000;

  const storeOf = async (userid: string) => Number((await kit.userOf(userid))?.store_id);
  const replay = (fields: string) => kit.postContactEvent(fields, (createTime += 1));

  beforeAll(async () => {
    kit = await startDirectoryServer();
    ids = await kit.ids();
    await kit.runSync();
    await kit.setMapping(1, { storeId: ids.store('SH01'), roleId: ids.role('store_staff') });
    await kit.setMapping(2, { storeId: ids.store('HZ01'), roleId: ids.role('store_staff') });
  });
  afterAll(() => kit.server.stop());

  it('create_user: a new employee becomes a user of the nearest mapped ancestor', async () => {
    await kit.control('events/employee-created', { userId: 'newbie', name: '新同事', department: [3] });
    await kit.settleCallbacks();
    expect(await kit.userOf('newbie')).toMatchObject({ username: 'newbie', display_name: '新同事', status: 'active', store_id: ids.store('SH01') });
  });

  it('update_user: a move to another department moves the user and their customers, with a store.changed timeline entry', async () => {
    const { models } = kit.services;
    const user = await kit.userOf('newbie');
    const customer = await models.Customer.create({ name: '跟进客户', external_userid: 'wm_dir_test_1', store_id: ids.store('SH01'), owner_user_id: Number(user?.id) });
    await models.CustomerFollow.create({ customer_id: Number(customer.get('id')), wecom_userid: 'newbie', added_at: new Date(), status: 'active' });

    await kit.control('events/employee-updated', { userId: 'newbie', department: [2], position: '店员' });
    await kit.settleCallbacks();
    expect(await storeOf('newbie')).toBe(ids.store('HZ01'));
    const moved = await models.Customer.findByPk(customer.get('id') as number, { raw: true });
    expect(Number(moved?.store_id)).toBe(ids.store('HZ01'));
    const timeline = await models.CustomerTimeline.findAll({ where: { customer_id: customer.get('id') as number, kind: 'store.changed' }, raw: true });
    expect(timeline).toHaveLength(1);
    expect(JSON.parse(timeline[0]?.payload ?? '{}')).toMatchObject({ fromStoreId: ids.store('SH01'), toStoreId: ids.store('HZ01'), wecomUserid: 'newbie' });
    expect((await models.CustomerFollow.findOne({ where: { wecom_userid: 'newbie' }, raw: true }))?.user_id).toBe(user?.id);
  });

  it('events sent twice and out of order leave what WeCom holds now (each handler re-reads the member)', async () => {
    const { models } = kit.services;
    // The first events of this employee, delivered again in reverse order and twice, with new timestamps.
    const create = `${cdata('ChangeType', 'create_user')}${cdata('UserID', 'newbie')}${cdata('Name', '新同事')}${cdata('Department', '3')}`;
    const update = `${cdata('ChangeType', 'update_user')}${cdata('UserID', 'newbie')}${cdata('Department', '2')}`;
    for (const fields of [update, create, create, update, create]) await replay(fields);
    await kit.settleCallbacks();
    expect(await storeOf('newbie')).toBe(ids.store('HZ01'));
    expect(await models.User.count({ where: { wecom_userid: 'newbie' } })).toBe(1);
    expect(await models.CustomerTimeline.count({ where: { kind: 'store.changed' } })).toBe(1);
  });

  it('update_user with NewUserID renames the employee everywhere; the old id arriving late changes nothing', async () => {
    const { models } = kit.services;
    const before = await kit.userOf('newbie');
    await kit.control('events/employee-updated', { userId: 'newbie', newUserId: 'newbie2' });
    await kit.settleCallbacks();
    expect((await kit.userOf('newbie2'))?.id).toBe(before?.id);
    expect(await kit.userOf('newbie')).toBeNull();
    expect(await models.CustomerFollow.count({ where: { wecom_userid: 'newbie2' } })).toBe(1);
    await replay(`${cdata('ChangeType', 'update_user')}${cdata('UserID', 'newbie')}${cdata('Name', '旧名字')}`);
    await replay(`${cdata('ChangeType', 'update_user')}${cdata('UserID', 'newbie')}${cdata('NewUserID', 'newbie2')}`);
    await kit.settleCallbacks();
    expect(await kit.userOf('newbie2')).toMatchObject({ id: before?.id, status: 'active', display_name: '新同事' });
    expect(await models.WecomEmployee.count({ where: { userid: 'newbie' } })).toBe(0);
  });

  it('create_party / update_party / delete_party keep the tree; a moved department carries its employees to the new ancestor mapping', async () => {
    const created = await kit.control<{ id: number }>('events/department-created', { name: '新门店组', parentid: 2 });
    await kit.control('events/employee-updated', { userId: 'newbie2', department: [created.id] });
    await kit.settleCallbacks();
    expect(await storeOf('newbie2')).toBe(ids.store('HZ01'));

    await kit.control('events/department-updated', { id: created.id, parentid: 3, name: '新门店组（迁）' });
    await kit.settleCallbacks();
    const row = await kit.services.models.WecomDepartment.findOne({ where: { wecom_id: created.id }, raw: true });
    expect(row).toMatchObject({ name: '新门店组（迁）', parent_wecom_id: 3 });
    expect(await storeOf('newbie2')).toBe(ids.store('SH01'));
    // A stale create_party for the same id, replayed late, re-reads WeCom and keeps the current parent.
    await replay(`${cdata('ChangeType', 'create_party')}${cdata('Id', created.id)}${cdata('Name', '新门店组')}${cdata('ParentId', 2)}`);
    await kit.settleCallbacks();
    expect((await kit.services.models.WecomDepartment.findOne({ where: { wecom_id: created.id }, raw: true }))?.parent_wecom_id).toBe(3);

    await kit.control('events/employee-updated', { userId: 'newbie2', department: [3] });
    await kit.control('events/department-deleted', { id: created.id });
    await kit.settleCallbacks();
    expect((await kit.services.models.WecomDepartment.findOne({ where: { wecom_id: created.id }, raw: true }))?.deleted_at).not.toBeNull();
  });

  it('delete_user disables the user and marks them as left; a late create_user for them does not bring them back', async () => {
    await kit.control('events/employee-left', { userId: 'newbie2' });
    await kit.settleCallbacks();
    const left = await kit.userOf('newbie2');
    expect(left?.status).toBe('disabled');
    expect(left?.wecom_left_at).not.toBeNull();
    await replay(`${cdata('ChangeType', 'create_user')}${cdata('UserID', 'newbie2')}${cdata('Name', '新同事')}${cdata('Department', '3')}`);
    await replay(`${cdata('ChangeType', 'delete_user')}${cdata('UserID', 'newbie2')}`);
    await kit.settleCallbacks();
    expect(await kit.userOf('newbie2')).toMatchObject({ status: 'disabled', wecom_left_at: left?.wecom_left_at });
    const callbacks = await kit.services.models.WecomCallback.findAll({ raw: true });
    expect(callbacks.filter((c) => c.processed_at === null).map((c) => c.id)).toEqual([]);
  });
});
