import { startTestServer, type TestServer } from '../../testing/test-server';
import { customerFixtures } from './customer-360.fixtures';
import type { CustomerDetail } from './customer-360.schemas';

type Reply<T> = { data: T };
interface TimelineItem {
  kind: string;
  summary: string | null;
  actorName: string | null;
  payload: Record<string, unknown> | null;
  occurredAt: string;
}
interface AuditItem {
  action: string;
  actorName: string;
  diff: { before?: Record<string, unknown>; after?: Record<string, unknown> };
}

describe('customer 360', () => {
  let server: TestServer;
  let fx: ReturnType<typeof customerFixtures>;
  let admin: string;
  let staff: string;
  let manager: string;
  let sh01: number;
  let hz01: number;
  let customerId: number;
  let otherStoreCustomerId: number;

  const get = <T>(path: string, token: string) => server.api<Reply<T>>('GET', path, { token });
  const send = <T>(method: string, path: string, token: string, body?: unknown) => server.api<Reply<T>>(method, path, { token, body });
  const timelineOf = async (id: number, token = admin) => (await get<{ items: TimelineItem[]; total: number }>(`/api/customers/${id}/timeline?pageSize=100`, token)).body.data;
  const auditOf = async (action: string, targetId: number) => (await get<{ items: AuditItem[] }>(`/api/audit-logs?action=${action}&targetId=${targetId}`, admin)).body.data.items;

  beforeAll(async () => {
    server = await startTestServer();
    fx = customerFixtures(server);
    [admin, staff, manager] = await Promise.all([server.login('admin'), server.login('staff_sh01'), server.login('manager_sh01')]);
    sh01 = await fx.storeId('SH01');
    hz01 = await fx.storeId('HZ01');
    await fx.linkEmployee('staff_sh01', 'wx_staff');
    await fx.linkEmployee('manager_sh01', 'wx_manager');
    customerId = await fx.customer({ name: '王先生', storeId: sh01, phone: '13800138000', address: '上海市徐汇区漕溪北路 100 号', external_userid: 'wm_wang', unionid: 'union_wang', stage: 'new' });
    await fx.follow(customerId, 'wx_staff', { remark: '王总', description: '老客户介绍', add_way: 1, state: 'poster_01', mobiles: ['13900139000'], added_at: new Date('2024-01-02T03:04:05Z') });
    await fx.follow(customerId, 'wx_manager', { remark: '老王', status: 'deleted_by_customer', added_at: new Date('2024-02-01T00:00:00Z') });
    const vip = await fx.tag('客户等级', 'VIP');
    const wine = await fx.tag('兴趣', '红酒');
    await fx.mark(customerId, vip, 'wx_staff');
    await fx.mark(customerId, vip, 'wx_manager');
    await fx.mark(customerId, wine, 'wx_staff');
    await fx.groupChat('wr_group_1', '徐汇 VIP 群', [{ customerId, memberId: 'wm_wang' }]);
    otherStoreCustomerId = await fx.customer({ name: '杭州客户', storeId: hz01, external_userid: 'wm_hz' });
  });
  afterAll(() => server.stop());

  it('serves the 360 detail: profile, store, stage, follow users with employee names, grouped tags, groups and counts', async () => {
    const reply = await get<CustomerDetail>(`/api/customers/${customerId}`, admin);
    expect(reply.status).toBe(200);
    const c = reply.body.data;
    expect(c).toMatchObject({ id: customerId, name: '王先生', storeId: sh01, storeName: '上海徐汇店', store: { id: sh01 }, storeLocked: false, externalUserid: 'wm_wang', stage: 'new' });
    expect(c.stageName).toEqual({ 'zh-CN': '新客户', 'en-US': 'New' });
    expect(c.follows).toHaveLength(2);
    expect(c.follows[0]).toMatchObject({ wecomUserid: 'wx_staff', userName: '徐汇店员小王', remark: '王总', description: '老客户介绍', addWay: 1, state: 'poster_01', status: 'active', addedAt: '2024-01-02T03:04:05.000Z' });
    expect(c.follows[1]).toMatchObject({ wecomUserid: 'wx_manager', userName: '徐汇店长', status: 'deleted_by_customer' });
    expect(c.tags).toEqual([
      { groupId: expect.any(Number), groupName: '客户等级', tags: [{ id: expect.any(Number), name: 'VIP', wecomUserids: expect.arrayContaining(['wx_staff', 'wx_manager']) }] },
      { groupId: expect.any(Number), groupName: '兴趣', tags: [{ id: expect.any(Number), name: '红酒', wecomUserids: ['wx_staff'] }] },
    ]);
    expect(c.groups).toEqual([expect.objectContaining({ chatId: 'wr_group_1', name: '徐汇 VIP 群', memberCount: 1, dismissed: false })]);
    expect(c.counts).toMatchObject({ follows: 2, activeFollows: 1, tags: 2, groups: 1 });

    const byExternal = await get<CustomerDetail>('/api/customers/by-external/wm_wang', staff);
    expect(byExternal.status).toBe(200);
    expect(byExternal.body.data.id).toBe(customerId);
  });

  it('masks phone, address and remark mobiles without customer:pii:read and shows them to those who hold it', async () => {
    const masked = (await get<CustomerDetail>(`/api/customers/${customerId}`, staff)).body.data;
    expect(masked.phone).toBe('138****8000');
    expect(masked.address).toBe('上海市徐汇区****');
    expect(masked.follows[0]?.remarkMobiles).toEqual(['139****9000']);
    const plain = (await get<CustomerDetail>(`/api/customers/${customerId}`, manager)).body.data;
    expect(plain.phone).toBe('13800138000');
    expect(plain.follows[0]?.remarkMobiles).toEqual(['13900139000']);
    expect((await auditOf('customer.pii_read', customerId)).map((e) => e.actorName)).toContain('manager_sh01');
  });

  it("answers another store's customer exactly like a missing one, for the detail and everything under it", async () => {
    const missing = await get('/api/customers/99999999', staff);
    const foreign = await get(`/api/customers/${otherStoreCustomerId}`, staff);
    expect(missing.status).toBe(404);
    expect(foreign.status).toBe(404);
    expect(foreign.body.code).toBe(missing.body.code);
    expect(foreign.body.message).toBe(`customer ${otherStoreCustomerId} not found`);
    expect((await get('/api/customers/by-external/wm_hz', staff)).status).toBe(404);
    for (const path of ['timeline', 'notes']) expect((await get(`/api/customers/${otherStoreCustomerId}/${path}`, staff)).status).toBe(404);
    expect((await send('POST', `/api/customers/${otherStoreCustomerId}/notes`, staff, { body: 'x' })).status).toBe(404);
    expect((await send('PATCH', `/api/customers/${otherStoreCustomerId}/stage`, staff, { stage: 'deal' })).status).toBe(404);
    expect((await send('PATCH', `/api/customers/${otherStoreCustomerId}/fields`, staff, { values: {} })).status).toBe(404);
    expect((await get(`/api/customers/${otherStoreCustomerId}`, admin)).status).toBe(200);
  });

  it('adds notes with their author, lists them newest first and puts them on the timeline; reading alone may not add', async () => {
    const added = await send<{ id: number; authorName: string; body: string }>('POST', `/api/customers/${customerId}/notes`, staff, { body: '客户想了解新款沙发' });
    expect(added.status).toBe(200);
    expect(added.body.data).toMatchObject({ body: '客户想了解新款沙发', authorName: '徐汇店员小王' });
    await send('POST', `/api/customers/${customerId}/notes`, manager, { body: '已约周六到店' });
    const notes = (await get<{ items: Array<{ body: string; authorName: string }>; total: number }>(`/api/customers/${customerId}/notes`, staff)).body.data;
    expect(notes.items.map((n) => n.body)).toEqual(['已约周六到店', '客户想了解新款沙发']);
    const entries = (await timelineOf(customerId)).items.filter((e) => e.kind === 'note.added');
    expect(entries.map((e) => [e.summary, e.actorName])).toEqual([
      ['已约周六到店', '徐汇店长'],
      ['客户想了解新款沙发', '徐汇店员小王'],
    ]);
    expect((await send('POST', `/api/customers/${customerId}/notes`, staff, { body: '   ' })).status).toBe(400);
    const finance = await server.login('finance');
    expect((await send('POST', `/api/customers/${customerId}/notes`, finance, { body: 'no' })).status).toBe(403);
  });

  it('changes the stage with a stage.changed timeline entry and an audit record, and refuses an unknown stage', async () => {
    const changed = await send<{ stage: string }>('PATCH', `/api/customers/${customerId}/stage`, staff, { stage: 'intent' });
    expect(changed.status).toBe(200);
    expect(changed.body.data).toEqual({ stage: 'intent', stageName: { 'zh-CN': '有意向', 'en-US': 'Intent' } });
    const entry = (await timelineOf(customerId)).items.find((e) => e.kind === 'stage.changed');
    expect(entry).toMatchObject({ summary: '阶段：新客户 → 有意向', actorName: '徐汇店员小王', payload: { from: 'new', to: 'intent' } });
    expect((await auditOf('customer.stage_changed', customerId))[0]?.diff).toMatchObject({ before: { stage: 'new' }, after: { stage: 'intent' } });
    const bad = await send('PATCH', `/api/customers/${customerId}/stage`, staff, { stage: 'nonsense' });
    expect(bad.status).toBe(400);
    expect(bad.body.details).toEqual([{ path: 'body.stage', message: 'no stage nonsense' }]);
  });

  it('pages the timeline newest first with kind, summary, actor, payload and time', async () => {
    await fx.timelineEntry(customerId, 'customer.added', '添加了客户', new Date('2020-01-01T00:00:00Z'));
    const all = await timelineOf(customerId);
    const times = all.items.map((e) => e.occurredAt);
    expect([...times].sort().reverse()).toEqual(times);
    expect(all.items.at(-1)).toMatchObject({ kind: 'customer.added', summary: '添加了客户', occurredAt: '2020-01-01T00:00:00.000Z' });
    const page = (await get<{ items: TimelineItem[]; total: number; page: number }>(`/api/customers/${customerId}/timeline?page=2&pageSize=2`, staff)).body.data;
    expect(page.total).toBe(all.total);
    expect(page.items.map((e) => e.occurredAt)).toEqual(times.slice(2, 4));
    const notesOnly = (await get<{ items: TimelineItem[] }>(`/api/customers/${customerId}/timeline?kind=note.`, staff)).body.data.items;
    expect(notesOnly.every((e) => e.kind === 'note.added')).toBe(true);
  });

  describe('custom fields', () => {
    beforeAll(async () => {
      const defs = [
        { key: 'nickname', label: '昵称', type: 'text' },
        { key: 'budget', label: '预算', type: 'number' },
        { key: 'birthday', label: '生日', type: 'date' },
        { key: 'level', label: '会员等级', type: 'select', options: ['普通', '银卡', '金卡'] },
        { key: 'hobbies', label: '爱好', type: 'multiselect', options: ['红酒', '高尔夫', '旅行'] },
      ];
      for (const def of defs) expect((await send('POST', '/api/customer-fields', admin, def)).status).toBe(200);
    });

    const patch = (values: Record<string, unknown>, token = staff) => send<CustomerDetail['customFields']>('PATCH', `/api/customers/${customerId}/fields`, token, { values });

    it('defines fields only with customer:config, audited, with a unique key and options that fit the type', async () => {
      expect((await send('POST', '/api/customer-fields', staff, { key: 'x', label: 'X', type: 'text' })).status).toBe(403);
      const duplicate = await send('POST', '/api/customer-fields', admin, { key: 'budget', label: '重复', type: 'number' });
      expect(duplicate.status).toBe(409);
      const noOptions = await send('POST', '/api/customer-fields', admin, { key: 'size', label: '尺码', type: 'select' });
      expect(noOptions.status).toBe(400);
      expect(noOptions.body.details).toEqual([{ path: 'body.options', message: 'a select field needs at least one option' }]);
      const list = (await get<Array<{ key: string; type: string; options: string[] }>>('/api/customer-fields', staff)).body.data;
      expect(list.map((f) => f.key)).toEqual(['nickname', 'budget', 'birthday', 'level', 'hobbies']);
      const created = await get<{ items: AuditItem[] }>('/api/audit-logs?action=customer_field.created', admin);
      expect(created.body.data.items).toHaveLength(5);
    });

    it.each([
      ['text', { nickname: 42 }, 'nickname', '昵称: expected text'],
      ['number', { budget: '很多' }, 'budget', '预算: expected a number'],
      ['date (shape)', { birthday: '1990/05/01' }, 'birthday', '生日: expected a date as YYYY-MM-DD'],
      ['date (calendar)', { birthday: '1990-02-30' }, 'birthday', '生日: not a calendar date'],
      ['select', { level: '钻石' }, 'level', '会员等级: "钻石" is not one of 普通, 银卡, 金卡'],
      ['multiselect', { hobbies: ['红酒', '钓鱼'] }, 'hobbies', '爱好: each option must be one of 红酒, 高尔夫, 旅行'],
      ['unknown field', { shoe_size: 42 }, 'shoe_size', 'no custom field "shoe_size"'],
    ])('refuses a bad %s value with a 400 naming the field', async (_kind, values, key, message) => {
      const reply = await patch(values);
      expect(reply.status).toBe(400);
      expect(reply.body.code).toBe('VALIDATION_FAILED');
      expect(reply.body.details).toEqual([{ path: `body.values.${key}`, message }]);
    });

    it('stores valid values of each type, clears with null, and writes the timeline and the audit trail', async () => {
      const reply = await patch({ nickname: '王哥', budget: 25000.5, birthday: '1990-05-01', level: '金卡', hobbies: ['红酒', '旅行'] });
      expect(reply.status).toBe(200);
      const detail = (await get<CustomerDetail>(`/api/customers/${customerId}`, staff)).body.data;
      expect(Object.fromEntries(detail.customFields.map((f) => [f.key, f.value]))).toEqual({ nickname: '王哥', budget: 25000.5, birthday: '1990-05-01', level: '金卡', hobbies: ['红酒', '旅行'] });
      expect((await patch({ nickname: null })).status).toBe(200);
      const after = (await get<CustomerDetail>(`/api/customers/${customerId}`, staff)).body.data;
      expect(after.customFields.find((f) => f.key === 'nickname')?.value).toBeNull();
      const entries = (await timelineOf(customerId)).items.filter((e) => e.kind === 'customer.fields_changed');
      expect(entries).toHaveLength(2);
      expect(entries[1]?.summary).toBe('修改了自定义字段：昵称、预算、生日、会员等级、爱好');
      expect(entries[0]?.payload).toEqual({ fields: { nickname: { from: '王哥', to: null } } });
      const audits = await auditOf('customer.fields_changed', customerId);
      expect(audits[0]?.diff).toMatchObject({ before: { nickname: '王哥' }, after: { nickname: null } });
    });

    it('requires a required field to be filled', async () => {
      const required = await send<{ id: number }>('POST', '/api/customer-fields', admin, { key: 'member_no', label: '会员号', type: 'text', required: true });
      const missing = await patch({ budget: 1 });
      expect(missing.status).toBe(400);
      expect(missing.body.details).toEqual([{ path: 'body.values.member_no', message: '会员号: required' }]);
      expect((await patch({ budget: 1, member_no: 'M001' })).status).toBe(200);
      expect((await patch({ member_no: '' })).status).toBe(400);
      await send('DELETE', `/api/customer-fields/${required.body.data.id}`, admin);
    });
  });

  describe('lifecycle stages', () => {
    type Stage = { id: number; code: string; customerCount: number };
    const stages = async () => (await get<Stage[]>('/api/customer-stages', admin)).body.data;

    it('adds, renames and reorders stages (customer:config only), with unique codes', async () => {
      expect((await send('POST', '/api/customer-stages', staff, { code: 'vip', nameZh: '贵宾', nameEn: 'VIP' })).status).toBe(403);
      const created = await send<Stage>('POST', '/api/customer-stages', admin, { code: 'vip', nameZh: '贵宾', nameEn: 'VIP' });
      expect(created.status).toBe(200);
      expect((await send('POST', '/api/customer-stages', admin, { code: 'vip', nameZh: '贵宾2', nameEn: 'VIP2' })).status).toBe(409);
      expect((await send('POST', '/api/customer-stages', admin, { code: 'Bad Code', nameZh: '坏', nameEn: 'Bad' })).status).toBe(400);
      expect((await send('PATCH', `/api/customer-stages/${created.body.data.id}`, admin, { nameEn: 'Very important' })).body.data).toMatchObject({ name: { 'en-US': 'Very important' } });
      const ids = (await stages()).map((s) => s.id);
      const reversed = [...ids].reverse();
      expect((await send<Stage[]>('PUT', '/api/customer-stages/order', admin, { ids: reversed })).body.data.map((s) => s.id)).toEqual(reversed);
      expect((await send('PUT', '/api/customer-stages/order', admin, { ids: ids.slice(1) })).status).toBe(400);
      await send('PUT', '/api/customer-stages/order', admin, { ids });
    });

    it('refuses to delete a stage in use until a replacement is chosen, then moves its customers with timeline entries', async () => {
      await send('PATCH', `/api/customers/${customerId}/stage`, staff, { stage: 'vip' });
      const vip = (await stages()).find((s) => s.code === 'vip') as Stage;
      expect(vip.customerCount).toBe(1);
      const refused = await send('DELETE', `/api/customer-stages/${vip.id}`, admin);
      expect(refused.status).toBe(409);
      expect(refused.body.message).toContain('used by 1 customers');
      expect((await send('DELETE', `/api/customer-stages/${vip.id}?replaceWith=nowhere`, admin)).status).toBe(400);
      const deleted = await send<{ moved: number }>('DELETE', `/api/customer-stages/${vip.id}?replaceWith=deal`, admin);
      expect(deleted.body.data).toEqual({ moved: 1 });
      expect((await get<CustomerDetail>(`/api/customers/${customerId}`, staff)).body.data.stage).toBe('deal');
      expect((await timelineOf(customerId)).items[0]).toMatchObject({ kind: 'stage.changed', payload: { from: 'vip', to: 'deal', reason: 'stage_deleted' } });
      expect((await get<{ items: AuditItem[] }>('/api/audit-logs?action=customer_stage.deleted', admin)).body.data.items[0]?.diff.after).toMatchObject({ replaceWith: 'deal', customersMoved: 1 });
      const initial = (await stages()).find((s) => s.code === 'new') as Stage;
      expect((await send('DELETE', `/api/customer-stages/${initial.id}?replaceWith=deal`, admin)).status).toBe(409);
    });
  });

  describe('store reassignment', () => {
    it('locks the customer in the chosen store, then unlocks it back to the primary follow user’s store', async () => {
      expect((await send('PATCH', `/api/customers/${customerId}/store`, staff, { storeId: hz01 })).status).toBe(403);
      const moved = await send('PATCH', `/api/customers/${customerId}/store`, admin, { storeId: hz01 });
      expect(moved.status).toBe(200);
      expect(moved.body.data).toEqual({ storeId: hz01, storeName: '杭州西湖店', storeLocked: true });
      expect((await get(`/api/customers/${customerId}`, staff)).status).toBe(404);
      const row = await server.running.services.models.Customer.findByPk(customerId, { raw: true });
      expect(Boolean(row?.store_locked)).toBe(true);

      const unlocked = await send('PATCH', `/api/customers/${customerId}/store`, admin, { storeId: null });
      expect(unlocked.body.data).toEqual({ storeId: sh01, storeName: '上海徐汇店', storeLocked: false });
      expect((await get<CustomerDetail>(`/api/customers/${customerId}`, staff)).body.data).toMatchObject({ storeId: sh01, storeLocked: false });
      const entries = (await timelineOf(customerId)).items.filter((e) => e.kind === 'store.changed');
      expect(entries.map((e) => e.payload)).toEqual([
        { from: hz01, to: sh01, locked: false },
        { from: sh01, to: hz01, locked: true },
      ]);
      expect((await auditOf('customer.store_reassigned', customerId))[0]?.diff).toMatchObject({ before: { storeId: sh01, storeLocked: false }, after: { storeId: hz01, storeLocked: true } });
      expect(await auditOf('customer.store_unlocked', customerId)).toHaveLength(1);
    });

    it('keeps a region manager to stores in their region and refuses an unknown store', async () => {
      const region = await server.login('region_east');
      const gz01 = await fx.storeId('GZ01');
      expect((await send('PATCH', `/api/customers/${customerId}/store`, region, { storeId: gz01 })).status).toBe(403);
      expect((await send('PATCH', `/api/customers/${customerId}/store`, admin, { storeId: 987654 })).status).toBe(400);
    });
  });

  it('lists the detail page as a hidden, routed menu entry', async () => {
    const me = await get<{ menus: Array<{ key: string; children?: Array<{ key: string; path?: string; hidden?: boolean }> }> }>('/api/auth/me', staff);
    const detail = me.body.data.menus.flatMap((m) => m.children ?? []).find((m) => m.key === 'customer-detail');
    expect(detail).toMatchObject({ path: '/customers/:id', hidden: true });
  });
});
