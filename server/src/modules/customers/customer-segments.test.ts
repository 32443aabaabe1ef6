import { startTestServer, type TestServer } from '../../testing/test-server';
import { seedCustomers } from './customer-list.fixtures';

interface Segment {
  id: number;
  name: string;
  filter: Record<string, unknown>;
  shared: boolean;
  mine: boolean;
  ownerName: string | null;
}

describe('saved customer segments', () => {
  let server: TestServer;
  let admin: string;
  let manager: string;
  let staff: string;
  let vip: number;

  beforeAll(async () => {
    server = await startTestServer();
    [admin, manager, staff] = [await server.login('admin'), await server.login('manager_sh01'), await server.login('staff_sh01')];
    const seeded = await seedCustomers(server, [
      { name: '分组·上海意向', store: 'SH01', stage: 'intent', tags: ['分组VIP'] },
      { name: '分组·上海新客', store: 'SH01', stage: 'new', tags: ['分组VIP'] },
      { name: '分组·杭州意向', store: 'HZ01', stage: 'intent', tags: ['分组VIP'] },
    ]);
    vip = seeded.tagIds.get('分组VIP') as number;
  });
  afterAll(() => server.stop());

  const names = async (query: string, token: string) =>
    (await server.api<{ data: { items: Array<{ name: string }> } }>('GET', `/api/customers?${query}`, { token })).body.data.items.map((c) => c.name).sort();

  it('saves a filter, lists it for its owner and applies it to the list and the export, within scope', async () => {
    const saved = await server.api<{ data: Segment }>('POST', '/api/customers/segments', { token: admin, body: { name: 'VIP 意向客户', filter: { tagIds: [vip], stage: ['intent'] }, shared: true } });
    expect(saved.status).toBe(200);
    expect(saved.body.data).toMatchObject({ name: 'VIP 意向客户', shared: true, mine: true, filter: { tagIds: [vip], stage: ['intent'] } });
    const id = saved.body.data.id;

    expect(await names(`segmentId=${id}`, admin)).toEqual(['分组·上海意向', '分组·杭州意向']);
    // A shared segment applied by store staff still shows only their store.
    expect(await names(`segmentId=${id}`, staff)).toEqual(['分组·上海意向']);
    // Fields given with a segment refine it.
    expect(await names(`segmentId=${id}&stage=new`, admin)).toEqual(['分组·上海新客']);

    const csv = await server.api<string>('GET', `/api/customers/export?segmentId=${id}`, { token: manager });
    expect(String(csv.body)).toContain('分组·上海意向');
    expect(String(csv.body)).not.toContain('分组·杭州意向');
  });

  it('shows shared segments to others, who may use but not change them', async () => {
    const mine = await server.api<{ data: Segment }>('POST', '/api/customers/segments', { token: admin, body: { name: '仅自己', filter: { stage: ['new'] } } });
    const listed = await server.api<{ data: Segment[] }>('GET', '/api/customers/segments', { token: staff });
    expect(listed.body.data.map((s) => s.name)).toEqual(['VIP 意向客户']);
    expect(listed.body.data[0]).toMatchObject({ mine: false, ownerName: '系统管理员' });
    const sharedId = listed.body.data[0]?.id;
    expect((await server.api('PATCH', `/api/customers/segments/${sharedId}`, { token: staff, body: { name: '改名' } })).status).toBe(403);
    expect((await server.api('DELETE', `/api/customers/segments/${sharedId}`, { token: staff })).status).toBe(403);
    expect((await server.api('GET', `/api/customers?segmentId=${mine.body.data.id}`, { token: staff })).status).toBe(404);
    expect((await server.api('PATCH', `/api/customers/segments/${mine.body.data.id}`, { token: staff, body: { name: 'x' } })).status).toBe(404);
  });

  it('renames, unshares and deletes its own segment, each change audited; names are unique per owner', async () => {
    const created = await server.api<{ data: Segment }>('POST', '/api/customers/segments', { token: manager, body: { name: '本店新客', filter: { stage: ['new'] } } });
    const id = created.body.data.id;
    const duplicate = await server.api('POST', '/api/customers/segments', { token: manager, body: { name: '本店新客', filter: {} } });
    expect(duplicate.status).toBe(409);
    const renamed = await server.api<{ data: Segment }>('PATCH', `/api/customers/segments/${id}`, { token: manager, body: { name: '本店新客户', shared: true, filter: { stage: ['new'], q: '上海' } } });
    expect(renamed.body.data).toMatchObject({ name: '本店新客户', shared: true, filter: { stage: ['new'], q: '上海' } });
    expect((await server.api('DELETE', `/api/customers/segments/${id}`, { token: manager })).status).toBe(200);
    expect((await server.api<{ data: Segment[] }>('GET', '/api/customers/segments', { token: manager })).body.data.map((s) => s.id)).not.toContain(id);
    const audit = await server.api<{ data: { items: Array<{ action: string }> } }>('GET', `/api/audit-logs?targetType=customer_segment&targetId=${id}`, { token: admin });
    expect(audit.body.data.items.map((e) => e.action).sort()).toEqual(['customer_segment.created', 'customer_segment.deleted', 'customer_segment.updated']);
  });

  it('rejects an invalid segment: no name, a malformed filter, or a phone number kept in plain text', async () => {
    const empty = await server.api('POST', '/api/customers/segments', { token: admin, body: { name: '', filter: {} } });
    expect(empty.status).toBe(400);
    const badFilter = await server.api('POST', '/api/customers/segments', { token: admin, body: { name: 'x', filter: { tagMode: 'some' } } });
    expect(badFilter.body.details).toEqual([expect.objectContaining({ path: 'body.filter.tagMode' })]);
    const withPhone = await server.api<{ data: Segment }>('POST', '/api/customers/segments', { token: admin, body: { name: '带手机号', filter: { phone: '13800000001' } } });
    expect(withPhone.body.data.filter).toEqual({});
  });
});
