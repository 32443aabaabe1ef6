import { startTestServer, type TestServer } from '../../testing/test-server';
import { customerFixtures } from './customer-360.fixtures';
import type { CustomerDetail } from './customer-360.schemas';

type Reply<T> = { data: T };
interface Group {
  reasons: Array<{ kind: string; customerIds: number[] }>;
  suggestedKeepId: number;
  customers: Array<{ id: number; phone: string | null; storeId: number }>;
}

describe('duplicate customers and merging', () => {
  let server: TestServer;
  let fx: ReturnType<typeof customerFixtures>;
  let admin: string;
  let manager: string;
  let staff: string;
  let sh01: number;
  let hz01: number;
  let a: number;
  let b: number;
  let c: number;
  let d: number;
  let lone: number;

  const get = <T>(path: string, token: string) => server.api<Reply<T>>('GET', path, { token });
  const merge = (token: string, body: unknown) => server.api<Reply<{ keepId: number; mergedIds: number[]; moved: Record<string, number> }>>('POST', '/api/customers/merge', { token, body });
  const duplicates = async (token: string) => (await get<{ items: Group[]; total: number }>('/api/customers/duplicates', token)).body.data;
  const idsOf = (groups: Group[]) => groups.map((g) => g.customers.map((x) => x.id).sort((p, q) => p - q));

  beforeAll(async () => {
    server = await startTestServer();
    fx = customerFixtures(server);
    [admin, manager, staff] = await Promise.all([server.login('admin'), server.login('manager_sh01'), server.login('staff_sh01')]);
    sh01 = await fx.storeId('SH01');
    hz01 = await fx.storeId('HZ01');
    await fx.linkEmployee('staff_sh01', 'wx_staff');
    await fx.linkEmployee('manager_sh01', 'wx_manager');
    // a and b share a unionid; b, c and d share a phone; d is in another store.
    a = await fx.customer({ name: '李女士', storeId: sh01, external_userid: 'wm_li', unionid: 'union_li', custom_fields: JSON.stringify({ level: '金卡' }), added_at: new Date('2024-03-01T00:00:00Z') });
    b = await fx.customer({ name: '李女士（导入）', storeId: sh01, unionid: 'union_li', phone: '13700137000', custom_fields: JSON.stringify({ level: '银卡', budget: 8000 }), added_at: new Date('2023-01-01T00:00:00Z') });
    c = await fx.customer({ name: '李', storeId: sh01, phone: '137-0013-7000' });
    d = await fx.customer({ name: '李女士杭州', storeId: hz01, phone: '+8613700137000' });
    lone = await fx.customer({ name: '无重复', storeId: sh01, phone: '13600000000', unionid: 'union_lone' });

    await fx.follow(a, 'wx_staff', { remark: null, added_at: new Date('2024-03-01T00:00:00Z') });
    await fx.follow(b, 'wx_staff', { remark: '李姐', description: '喜欢北欧风', added_at: new Date('2023-01-01T00:00:00Z') });
    await fx.follow(b, 'wx_manager', { remark: '李女士' });
    const gold = await fx.tag('等级', '金卡会员');
    const sofa = await fx.tag('意向', '沙发');
    await fx.mark(a, gold, 'wx_staff');
    await fx.mark(b, gold, 'wx_staff');
    await fx.mark(b, sofa, 'wx_manager');
    await fx.note(b, '导入时的备注');
    await fx.note(c, '电话咨询过');
    await fx.timelineEntry(b, 'customer.imported', '从表格导入');
    await fx.timelineEntry(c, 'customer.added', '手工创建');
    await fx.groupChat('wr_li', '李女士的群', [{ customerId: c, memberId: 'wm_c_member' }]);
  });
  afterAll(() => server.stop());

  it('proposes customers sharing a unionid or a phone as one group, within the caller’s scope', async () => {
    const all = await duplicates(admin);
    expect(idsOf(all.items)).toEqual([[a, b, c, d]]);
    const group = all.items[0] as Group;
    expect(group.reasons).toEqual(
      expect.arrayContaining([
        { kind: 'unionid', customerIds: [a, b] },
        { kind: 'phone', customerIds: [b, c, d] },
      ]),
    );
    expect(group.suggestedKeepId).toBe(a);
    expect(group.customers.find((x) => x.id === b)?.phone).toBe('13700137000');

    const sameStore = await duplicates(staff);
    expect(idsOf(sameStore.items)).toEqual([[a, b, c]]);
    expect(sameStore.items[0]?.customers.find((x) => x.id === b)?.phone).toBe('137****7000');
    expect(sameStore.items.flatMap((g) => g.customers.map((x) => x.id))).not.toContain(lone);
  });

  it('refuses a merge without customer:merge, of a customer outside scope, or into itself', async () => {
    expect((await merge(manager, { keepId: a, mergeIds: [b] })).status).toBe(403);
    const region = await server.login('region_east');
    expect((await merge(region, { keepId: a, mergeIds: [a] })).status).toBe(400);
    const finance = await server.login('finance');
    expect((await merge(finance, { keepId: a, mergeIds: [b] })).status).toBe(403);
    expect((await merge(admin, { keepId: a, mergeIds: [999999] })).status).toBe(404);
  });

  it('merges follows, tags, notes, timeline, group memberships and custom fields into the kept customer, audited', async () => {
    const timelineIds = async (id: number) => (await server.running.services.models.CustomerTimeline.findAll({ where: { customer_id: id }, raw: true })).map((e) => Number(e.id));
    const movedEntries = [...(await timelineIds(b)), ...(await timelineIds(c))];
    expect(movedEntries.length).toBeGreaterThanOrEqual(2);

    const region = await server.login('region_east');
    const reply = await merge(region, { keepId: a, mergeIds: [b, c] });
    expect(reply.status).toBe(200);
    expect(reply.body.data.moved).toEqual({ follows: 1, followsCombined: 1, tags: 1, notes: 2, timeline: movedEntries.length, groupMemberships: 1, customFields: 1 });

    const kept = (await get<CustomerDetail>(`/api/customers/${a}`, admin)).body.data;
    expect(kept.follows.map((f) => [f.wecomUserid, f.remark, f.description])).toEqual([
      ['wx_staff', '李姐', '喜欢北欧风'],
      ['wx_manager', '李女士', null],
    ]);
    expect(kept.follows[0]?.addedAt).toBe('2023-01-01T00:00:00.000Z');
    expect(kept.tags.flatMap((g) => g.tags.map((t) => t.name)).sort()).toEqual(['沙发', '金卡会员']);
    expect(kept.groups.map((g) => g.chatId)).toEqual(['wr_li']);
    expect(kept.phone).toBe('13700137000');
    expect(kept.addedAt).toBe('2023-01-01T00:00:00.000Z');
    expect(Object.fromEntries(kept.customFields.map((f) => [f.key, f.value]))).toEqual({});
    const stored = await server.running.services.models.Customer.findByPk(a, { raw: true });
    expect(JSON.parse(String(stored?.custom_fields))).toEqual({ level: '金卡', budget: 8000 });

    const notes = (await get<{ items: Array<{ body: string }> }>(`/api/customers/${a}/notes`, admin)).body.data.items.map((n) => n.body);
    expect(notes.sort()).toEqual(['导入时的备注', '电话咨询过']);
    const nowOnA = await timelineIds(a);
    for (const id of movedEntries) expect(nowOnA).toContain(id);
    const timeline = (await get<{ items: Array<{ kind: string; payload: Record<string, unknown>; actorName: string }> }>(`/api/customers/${a}/timeline`, admin)).body.data.items;
    expect(timeline[0]).toMatchObject({ kind: 'customer.merged', actorName: '华东区域经理', payload: { mergedIds: [b, c] } });

    for (const id of [b, c]) {
      const merged = (await get<CustomerDetail>(`/api/customers/${id}`, admin)).body.data;
      expect(merged).toMatchObject({ status: 'merged', mergedIntoId: a, counts: { follows: 0, tags: 0, groups: 0, notes: 0, timeline: 0 } });
    }

    const audit = (await get<{ items: Array<{ actorName: string; diff: { before: { keep: { id: number }; merged: Array<{ id: number; phone: string }> }; after: { mergedIds: number[] } } }> }>(`/api/audit-logs?action=customer.merged&targetId=${a}`, admin)).body.data.items;
    expect(audit).toHaveLength(1);
    expect(audit[0]?.actorName).toBe('region_east');
    expect(audit[0]?.diff.before.merged.map((m) => m.id)).toEqual([b, c]);
    expect(audit[0]?.diff.before.merged[0]?.phone).toBe('137****7000');
    expect(audit[0]?.diff.after.mergedIds).toEqual([b, c]);
  });

  it('no longer proposes merged customers, refuses merging one twice, and finds the kept customer by its WeCom id', async () => {
    const after = await duplicates(admin);
    expect(idsOf(after.items)).toEqual([[a, d]]);
    const again = await merge(admin, { keepId: a, mergeIds: [b] });
    expect(again.status).toBe(409);
    const byExternal = await get<CustomerDetail>('/api/customers/by-external/wm_li', staff);
    expect(byExternal.body.data.id).toBe(a);
  });

  it('hands the WeCom contact to a kept customer that had none', async () => {
    const imported = await fx.customer({ name: '赵先生（导入）', storeId: sh01, phone: '13500135000' });
    const wecom = await fx.customer({ name: '赵先生', storeId: sh01, external_userid: 'wm_zhao', phone: '13500135000' });
    await fx.follow(wecom, 'wx_staff', { remark: '赵哥' });
    expect((await merge(admin, { keepId: imported, mergeIds: [wecom] })).status).toBe(200);
    const found = await get<CustomerDetail>('/api/customers/by-external/wm_zhao', admin);
    expect(found.body.data).toMatchObject({ id: imported, externalUserid: 'wm_zhao', storeId: sh01 });
    expect(found.body.data.follows.map((f) => f.remark)).toEqual(['赵哥']);
  });
});
