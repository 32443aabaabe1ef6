import type { WecomEvent } from '@scrm/wecom-adapter';
import { startTestServer, type TestServer } from '../../testing/test-server';
import { pendingCallbacks, sandboxOf, seedCustomersFromSandbox } from './sandbox-fixture';

interface TagGroupView {
  id: number;
  name: string;
  wecomGroupId: string | null;
  tags: Array<{ id: number; name: string; wecomTagId: string | null; customerCount: number }>;
}
interface CustomerTag {
  id: number;
  name: string;
  wecomUserids: string[];
}
interface BulkJob {
  id: number;
  status: string;
  total: number;
  processed: number;
  succeeded: number;
  failed: number;
  failures: Array<{ customerId: number; message: string }>;
}

describe('corp tags against the WeCom sandbox', () => {
  let server: TestServer;
  let admin: string;
  let staff: string;
  let sandbox: ReturnType<typeof sandboxOf>;
  let seeded: Awaited<ReturnType<typeof seedCustomersFromSandbox>>;
  let employees: string[];

  const services = () => server.running.services;
  const tagList = async () => (await server.api<{ data: TagGroupView[] }>('GET', '/api/tags', { token: admin })).body.data;
  const ourShape = async () => (await tagList()).map((g) => ({ id: g.wecomGroupId, name: g.name, tags: g.tags.map((t) => [t.wecomTagId, t.name]).sort() })).sort((a, b) => String(a.id).localeCompare(String(b.id)));
  const wecomShape = async () =>
    (await sandbox.liveTagGroups()).map((g) => ({ id: g.groupId, name: g.groupName, tags: g.tags.map((t) => [t.id, t.name]).sort() })).sort((a, b) => a.id.localeCompare(b.id));
  const syncTags = async () => {
    const started = await server.api<{ data: { id: number } }>('POST', '/api/tags/sync', { token: admin });
    expect(started.status).toBe(200);
    await services().queue.drain();
    return (await server.api<{ data: { status: string; report: Record<string, unknown> } }>('GET', '/api/tags/sync', { token: admin })).body.data;
  };
  /** Delivers the sandbox's callbacks and processes them, in the order given by `order` (default: as received). */
  const processCallbacks = async (order: (ids: number[]) => number[] = (ids) => ids) => {
    await sandbox.deliver();
    for (const id of order(await pendingCallbacks(server))) await services().wecom.callbacks.processBatch([id]);
  };
  const replay = (event: Record<string, unknown>) =>
    services().db.transaction((tx) => services().wecom.events.dispatch({ corpId: 'ww_sandbox_demo', createTime: 1, format: 'internal', raw: {}, ...event } as unknown as WecomEvent, { tx, callbackId: 0 }));

  beforeAll(async () => {
    server = await startTestServer({ env: { WECOM_SANDBOX: 'auto', WECOM_SANDBOX_CUSTOMERS: '40', JOB_WORKER_ENABLED: 'false' } });
    admin = await server.login('admin');
    staff = await server.login('staff_sh01');
    sandbox = sandboxOf(server);
    seeded = await seedCustomersFromSandbox(server, 6, (index) => (index < 4 ? 'SH01' : 'GZ01'));
    employees = [...new Set(seeded.contacts.flatMap((c) => c.follows.map((f) => f.userid)))];
    // The store employee is the WeCom member following the first customer.
    await services().models.User.update({ wecom_userid: seeded.contacts[0]?.follows[0]?.userid ?? null }, { where: { username: 'staff_sh01' } });
  });
  afterAll(() => server.stop());

  it('syncs the corp tags from WeCom and removes (and reports) what WeCom no longer has', async () => {
    const first = await syncTags();
    expect(first.status).toBe('done');
    expect(await ourShape()).toEqual(await wecomShape());

    const { models } = services();
    const stale = await models.TagGroup.create({ wecom_group_id: 'et_gone_group', name: '旧分组' });
    const staleTag = await models.Tag.create({ group_id: Number(stale.get('id')), wecom_tag_id: 'et_gone_tag', name: '旧标签' });
    await models.CustomerTag.create({ customer_id: seeded.customerIds[0] ?? 0, tag_id: Number(staleTag.get('id')), wecom_userid: 'someone', created_at: new Date() });
    const second = await syncTags();
    expect(second.report).toMatchObject({ groupsRemoved: ['旧分组'], tagsRemoved: ['旧分组/旧标签'], customerTagsRemoved: 1 });
    expect(await ourShape()).toEqual(await wecomShape());
    const removed = await models.CustomerTimeline.findAll({ where: { customer_id: seeded.customerIds[0] ?? 0, kind: 'tag.removed' }, raw: true });
    expect(removed.map((r) => r.summary)).toEqual(['移除标签：旧分组/旧标签']);
  });

  it('sends console edits to WeCom first, then stores and audits them', async () => {
    const created = await server.api<{ data: TagGroupView }>('POST', '/api/tags/groups', { token: admin, body: { name: '会员等级', tags: ['金卡', '银卡'] } });
    expect(created.status).toBe(200);
    const group = created.body.data;
    expect(group.tags.map((t) => t.name).sort()).toEqual(['金卡', '银卡']);
    const inWecom = (await sandbox.liveTagGroups()).find((g) => g.groupId === group.wecomGroupId);
    expect(inWecom?.tags.map((t) => t.name).sort()).toEqual(['金卡', '银卡']);

    const gold = group.tags.find((t) => t.name === '金卡')!;
    expect((await server.api('PATCH', `/api/tags/${gold.id}`, { token: admin, body: { name: '黑金卡' } })).status).toBe(200);
    expect((await server.api('POST', `/api/tags/groups/${group.id}/tags`, { token: admin, body: { names: ['铜卡'] } })).status).toBe(200);
    expect((await server.api('PATCH', `/api/tags/groups/${group.id}`, { token: admin, body: { name: '会员卡' } })).status).toBe(200);
    const silver = group.tags.find((t) => t.name === '银卡')!;
    expect((await server.api('DELETE', `/api/tags/${silver.id}`, { token: admin })).status).toBe(200);
    expect(await ourShape()).toEqual(await wecomShape());
    expect((await sandbox.liveTagGroups()).find((g) => g.groupId === group.wecomGroupId)).toMatchObject({ groupName: '会员卡', tags: [expect.objectContaining({ name: '黑金卡' }), expect.objectContaining({ name: '铜卡' })] });

    // WeCom refuses a duplicate name: nothing changes here, the console gets a 409 saying why.
    const clash = await server.api('POST', `/api/tags/groups/${group.id}/tags`, { token: admin, body: { names: ['铜卡'] } });
    expect(clash.status).toBe(409);
    expect(clash.body.message).toContain('already exists');
    expect((await server.api('POST', '/api/tags/groups', { token: admin, body: { name: '空分组', tags: [] } })).status).toBe(400);
    expect((await server.api('POST', '/api/tags/groups', { token: staff, body: { name: '店员分组', tags: ['x'] } })).status).toBe(403);

    expect((await server.api('DELETE', `/api/tags/groups/${group.id}`, { token: admin })).status).toBe(200);
    expect((await sandbox.liveTagGroups()).some((g) => g.groupId === group.wecomGroupId)).toBe(false);
    expect(await ourShape()).toEqual(await wecomShape());
    const audit = await server.api<{ data: { items: Array<{ action: string }> } }>('GET', '/api/audit-logs?pageSize=50', { token: admin });
    const actions = audit.body.data.items.map((i) => i.action);
    for (const action of ['tag_group.created', 'tag.updated', 'tag.created', 'tag_group.updated', 'tag.deleted', 'tag_group.deleted']) expect(actions).toContain(action);
  });

  it('follows change_external_tag events, each applied twice and in reverse order, to WeCom\'s state', async () => {
    const made = await sandbox.post<{ groupId: string; tagId: string }>('events/tag-created', { groupName: '来源渠道', tagName: '抖音' });
    const second = await sandbox.post<{ tagId: string }>('events/tag-created', { groupId: made.groupId, tagName: '小红书' });
    await sandbox.post('events/tag-renamed', { id: second.tagId, name: '小红书种草' });
    await sandbox.post('events/tag-deleted', { id: made.tagId });
    await sandbox.post('events/tags-shuffled', { groupId: made.groupId, orders: { [second.tagId]: 7 } });
    await processCallbacks((ids) => [...ids].reverse());
    expect(await ourShape()).toEqual(await wecomShape());

    // The same events again, as WeCom may resend them: nothing changes.
    for (const event of [
      { kind: 'external_tag', changeType: 'create', id: made.groupId, tagType: 'tag_group' },
      { kind: 'external_tag', changeType: 'create', id: second.tagId, tagType: 'tag' },
      { kind: 'external_tag', changeType: 'delete', id: made.tagId, tagType: 'tag' },
      { kind: 'external_tag', changeType: 'shuffle', id: made.groupId },
    ]) {
      await replay(event);
    }
    expect(await ourShape()).toEqual(await wecomShape());
    const channel = (await tagList()).find((g) => g.wecomGroupId === made.groupId);
    expect(channel?.tags.map((t) => t.name)).toEqual(['小红书种草']);

    // The group deleted in WeCom: a create arriving late does not bring it back.
    await sandbox.post('events/tag-deleted', { id: made.groupId });
    await processCallbacks();
    await replay({ kind: 'external_tag', changeType: 'create', id: made.groupId, tagType: 'tag_group' });
    expect((await tagList()).some((g) => g.wecomGroupId === made.groupId)).toBe(false);
    expect(await ourShape()).toEqual(await wecomShape());
  });

  it('marks and unmarks tags on a customer through mark_tag on the right follow relation', async () => {
    const groups = await tagList();
    const [first, second] = groups.flatMap((g) => g.tags);
    const contact = seeded.contacts[0]!;
    const customerId = seeded.customerIds[0]!;
    const staffUserid = contact.follows[0]!.userid;

    // Store staff: their own follow relation.
    const marked = await server.api<{ data: CustomerTag[] }>('PUT', `/api/customers/${customerId}/tags`, { token: staff, body: { add: [first!.id, second!.id] } });
    expect(marked.status).toBe(200);
    expect(marked.body.data.map((t) => t.id).sort()).toEqual([first!.id, second!.id].sort());
    expect(marked.body.data[0]?.wecomUserids).toEqual([staffUserid]);
    const relation = (await sandbox.customer(contact.externalUserid))?.follows.find((f) => f.userid === staffUserid);
    expect(relation?.tagIds).toEqual(expect.arrayContaining([first!.wecomTagId, second!.wecomTagId]));

    const unmarked = await server.api<{ data: CustomerTag[] }>('PUT', `/api/customers/${customerId}/tags`, { token: staff, body: { remove: [first!.id] } });
    expect(unmarked.body.data.map((t) => t.id)).toEqual([second!.id]);
    expect((await sandbox.customer(contact.externalUserid))?.follows.find((f) => f.userid === staffUserid)?.tagIds).not.toContain(first!.wecomTagId);

    const timeline = await services().models.CustomerTimeline.findAll({ where: { customer_id: customerId, kind: ['tag.added', 'tag.removed'] }, order: [['id', 'ASC']], raw: true });
    expect(timeline.filter((e) => JSON.parse(e.payload ?? '{}').via === 'console').map((e) => e.kind)).toEqual(['tag.added', 'tag.added', 'tag.removed']);
    const audit = await server.api<{ data: { items: Array<{ targetId: string | null }> } }>('GET', '/api/audit-logs?action=customer.tags_changed', { token: admin });
    expect(audit.body.data.items.filter((i) => String(i.targetId) === String(customerId))).toHaveLength(2);

    // An admin who follows nobody: the primary (earliest) follow relation.
    const other = seeded.contacts[1]!;
    const byAdmin = await server.api<{ data: CustomerTag[] }>('PUT', `/api/customers/${seeded.customerIds[1]}/tags`, { token: admin, body: { add: [first!.id] } });
    expect(byAdmin.body.data[0]?.wecomUserids).toEqual([other.follows[0]!.userid]);
    expect((await sandbox.customer(other.externalUserid))?.follows[0]?.tagIds).toContain(first!.wecomTagId);

    // Bad input changes nothing.
    const unknown = await server.api('PUT', `/api/customers/${customerId}/tags`, { token: staff, body: { add: [999_999] } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.details).toEqual([expect.objectContaining({ path: 'body.add.0' })]);
    expect((await server.api('PUT', `/api/customers/${customerId}/tags`, { token: staff, body: {} })).status).toBe(400);
    expect((await server.api('PUT', `/api/customers/${customerId}/tags`, { token: staff, body: { add: [first!.id], remove: [first!.id] } })).status).toBe(400);
  });

  it("refuses store staff another store's customer, alone or in bulk, as not found", async () => {
    const [tag] = (await tagList()).flatMap((g) => g.tags);
    const elsewhere = seeded.customerIds[4]!;
    const single = await server.api('PUT', `/api/customers/${elsewhere}/tags`, { token: staff, body: { add: [tag!.id] } });
    expect(single.status).toBe(404);
    const bulk = await server.api('POST', '/api/customers/tags/bulk', { token: staff, body: { customerIds: [seeded.customerIds[0], elsewhere], add: [tag!.id] } });
    expect(bulk.status).toBe(404);
    expect(await services().models.TagBulkJob.count()).toBe(0);
    expect(await services().models.CustomerTag.count({ where: { customer_id: elsewhere } })).toBe(0);
  });

  it('bulk-marks many customers in a durable job and reports progress and per-customer failures', async () => {
    const [, , third] = (await tagList()).flatMap((g) => g.tags);
    const lonely = await services().models.Customer.create({ name: '无跟进人客户', external_userid: 'wm_no_follow', store_id: seeded.stores.get('SH01') ?? null });
    const customerIds = [...seeded.customerIds, Number(lonely.get('id'))];
    const started = await server.api<{ data: BulkJob }>('POST', '/api/customers/tags/bulk', { token: admin, body: { customerIds, add: [third!.id] } });
    expect(started.status).toBe(200);
    expect(started.body.data).toMatchObject({ status: 'pending', total: customerIds.length, processed: 0 });
    await services().queue.drain();
    const finished = await server.api<{ data: BulkJob }>('GET', `/api/customers/tags/bulk/${started.body.data.id}`, { token: admin });
    expect(finished.body.data).toMatchObject({ status: 'done', processed: customerIds.length, succeeded: seeded.customerIds.length, failed: 1 });
    expect(finished.body.data.failures).toEqual([{ customerId: Number(lonely.get('id')), message: expect.stringContaining('no active follow relation') }]);
    for (const contact of seeded.contacts) {
      const tagIds = (await sandbox.customer(contact.externalUserid))?.follows.flatMap((f) => f.tagIds);
      expect(tagIds).toContain(third!.wecomTagId);
    }
    const counted = (await tagList()).flatMap((g) => g.tags).find((t) => t.id === third!.id);
    expect(counted?.customerCount).toBe(seeded.customerIds.length);
    // Store staff count only their store's customers.
    const staffView = (await server.api<{ data: TagGroupView[] }>('GET', '/api/tags', { token: staff })).body.data.flatMap((g) => g.tags).find((t) => t.id === third!.id);
    expect(staffView?.customerCount).toBe(4);
    // Another user's job is not theirs to see.
    expect((await server.api('GET', `/api/customers/tags/bulk/${started.body.data.id}`, { token: staff })).status).toBe(404);
    expect(employees.length).toBeGreaterThan(0);
  });
});
