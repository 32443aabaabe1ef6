import { startTestServer, type TestServer } from '../../testing/test-server';
import { seedCustomers } from './customer-list.fixtures';

interface Item {
  id: number;
  name: string;
  phone: string | null;
  storeName: string | null;
  stage: string;
  stageName: { 'zh-CN': string } | null;
  status: string;
  tags: Array<{ id: number; name: string }>;
  follows: Array<{ wecomUserid: string; name: string | null; remark: string | null }>;
  addedAt: string | null;
}
interface Page {
  code: number;
  data: { items: Item[]; total: number; totalCapped: boolean; page: number; pageSize: number; nextAfterId: number | null };
}

describe('finding customers', () => {
  let server: TestServer;
  let admin: string;
  let tagIds: Map<string, number>;
  let users: Map<string, number>;

  beforeAll(async () => {
    server = await startTestServer();
    admin = await server.login('admin');
    ({ tagIds, users } = await seedCustomers(server, [
      {
        name: '甲·陈女士',
        store: 'SH01',
        stage: 'intent',
        tags: ['VIP', '老客户'],
        follows: [{ wecomUserid: 'zhangsan', username: 'staff_sh01', remark: '装修预约 周六上门' }],
        addedAt: '2026-03-01T02:00:00Z',
        customFields: { level: 'gold', interests: ['sofa', 'bed'] },
        phone: '13900001111',
      },
      { name: '乙·刘先生', store: 'SH01', stage: 'new', tags: ['VIP'], follows: [{ wecomUserid: 'lisi', remark: '只看不买' }], addedAt: '2026-02-28T17:00:00Z', customFields: { level: 'silver' } },
      { name: '丙·王先生', store: 'HZ01', stage: 'intent', tags: ['老客户'], follows: [{ wecomUserid: 'zhangsan', username: 'staff_sh01' }], addedAt: '2026-03-05T03:00:00Z' },
      { name: '丁·已合并', store: 'SH01', status: 'merged', tags: ['VIP'], follows: [{ wecomUserid: 'zhangsan' }] },
      { name: '戊·赵女士', store: 'HZ01', stage: 'deal', status: 'lost', follows: [{ wecomUserid: 'zhangsan', status: 'deleted_by_customer' }], customFields: { interests: ['table'] } },
    ]));
  });
  afterAll(() => server.stop());

  const list = async (query: string, token = admin) => {
    const reply = await server.api<Page>('GET', `/api/customers?pageSize=200&${query}`, { token });
    expect([query, reply.status, reply.body.code]).toEqual([query, 200, 0]);
    return reply.body.data;
  };
  const names = async (query: string, token = admin) => (await list(query, token)).items.map((c) => c.name).sort();

  it('answers with items and total, each item carrying stage, store, tags, follow users and added time', async () => {
    const page = await list(`tagIds=${tagIds.get('VIP')}`);
    expect(page.total).toBe(2);
    expect(page.totalCapped).toBe(false);
    const chen = page.items.find((c) => c.name === '甲·陈女士');
    expect(chen).toMatchObject({
      stage: 'intent',
      stageName: { 'zh-CN': '有意向' },
      status: 'active',
      storeName: '上海徐汇店',
      addedAt: '2026-03-01T02:00:00.000Z',
      follows: [{ wecomUserid: 'zhangsan', name: '徐汇店员小王', remark: '装修预约 周六上门' }],
    });
    expect(chen?.tags.map((t) => t.name).sort()).toEqual(['VIP', '老客户']);
    expect(chen?.phone).toBe('13900001111');
  });

  it('filters by tags: any of them, or all of them', async () => {
    const both = `tagIds=${tagIds.get('VIP')},${tagIds.get('老客户')}`;
    expect(await names(both)).toEqual(['丙·王先生', '乙·刘先生', '甲·陈女士']);
    expect(await names(`${both}&tagMode=any`)).toEqual(['丙·王先生', '乙·刘先生', '甲·陈女士']);
    expect(await names(`${both}&tagMode=all`)).toEqual(['甲·陈女士']);
    expect(await names(`tagIds=${tagIds.get('VIP')}&tagIds=${tagIds.get('老客户')}&tagMode=all`)).toEqual(['甲·陈女士']);
    // Within a stage or store each row is probed for its tags (another query shape): same answers.
    expect(await names(`${both}&stage=intent`)).toEqual(['丙·王先生', '甲·陈女士']);
    expect(await names(`${both}&tagMode=all&stage=intent,new`)).toEqual(['甲·陈女士']);
  });

  it('hides merged customers unless asked for them', async () => {
    expect(await names(`tagIds=${tagIds.get('VIP')}&status=merged`)).toEqual(['丁·已合并']);
    expect(await names(`tagIds=${tagIds.get('VIP')}&status=all`)).toEqual(['丁·已合并', '乙·刘先生', '甲·陈女士']);
    expect(await names('status=lost')).toEqual(['戊·赵女士']);
  });

  it('filters by an active follow user, by WeCom userid or by our user id', async () => {
    expect(await names('followWecomUserid=zhangsan')).toEqual(['丙·王先生', '甲·陈女士']);
    expect(await names(`followUserId=${users.get('staff_sh01')}`)).toEqual(['丙·王先生', '甲·陈女士']);
    expect(await names('followWecomUserid=lisi')).toEqual(['乙·刘先生']);
  });

  it('filters by stage, one or several', async () => {
    expect(await names('stage=intent')).toEqual(['丙·王先生', '甲·陈女士']);
    expect(await names('stage=intent,deal')).toEqual(['丙·王先生', '戊·赵女士', '甲·陈女士']);
  });

  it('filters by added date: plain dates are whole business days in Asia/Shanghai, instants are exact', async () => {
    // 乙 was added at 2026-02-28T17:00Z, which is 1 March 01:00 in Shanghai.
    expect(await names('addedFrom=2026-03-01&addedTo=2026-03-01')).toEqual(['乙·刘先生', '甲·陈女士']);
    expect(await names('addedFrom=2026-03-01T00:00:00Z&addedTo=2026-03-02T00:00:00Z')).toEqual(['甲·陈女士']);
    expect(await names('addedFrom=2026-03-02')).toEqual(['丙·王先生']);
  });

  it('filters by custom fields, single values and multi-select items', async () => {
    expect(await names('cf.level=gold')).toEqual(['甲·陈女士']);
    expect(await names('cf.interests=bed')).toEqual(['甲·陈女士']);
    expect(await names('cf.interests=table&status=all')).toEqual(['戊·赵女士']);
    expect(await names('cf.level=silver&cf.interests=sofa')).toEqual([]);
    const unknown = await server.api('GET', '/api/customers?cf.nope=1', { token: admin });
    expect(unknown.status).toBe(400);
    expect(unknown.body.details).toEqual([expect.objectContaining({ path: 'query.cf.nope' })]);
  });

  it('finds a keyword in the name and in follow remarks, and treats wildcards literally', async () => {
    expect(await names(`q=${encodeURIComponent('装修')}`)).toEqual(['甲·陈女士']);
    expect(await names(`q=${encodeURIComponent('刘先生')}`)).toEqual(['乙·刘先生']);
    expect(await names(`q=${encodeURIComponent('%')}`)).toEqual([]);
    expect(await names(`q=${encodeURIComponent('_')}`)).toEqual([]);
  });

  it('finds an exact phone number through the blind index, only for holders of customer:pii:read', async () => {
    expect(await names('phone=139-0000-1111')).toEqual(['甲·陈女士']);
    const manager = await server.login('manager_sh01');
    expect(await names('phone=13900001111', manager)).toEqual(['甲·陈女士']);
    const staff = await server.login('staff_sh01');
    expect((await server.api('GET', '/api/customers?phone=13900001111', { token: staff })).status).toBe(403);
  });

  it('masks phone numbers in the list without customer:pii:read', async () => {
    const staff = await server.login('staff_sh01');
    const page = await list(`tagIds=${tagIds.get('VIP')}`, staff);
    expect(page.items.find((c) => c.name === '甲·陈女士')?.phone).toBe('139****1111');
  });

  it('rejects malformed filters with a 400 naming the field', async () => {
    for (const [query, path] of [
      ['tagIds=abc', 'query.tagIds.0'],
      ['tagMode=some', 'query.tagMode'],
      ['addedFrom=yesterday', 'query.addedFrom'],
      ['status=gone', 'query.status'],
    ]) {
      const reply = await server.api('GET', `/api/customers?${query}`, { token: admin });
      expect([query, reply.status]).toEqual([query, 400]);
      expect(reply.body.details).toEqual([expect.objectContaining({ path })]);
    }
  });

  it('shows each tag once however many staff marked it, in the order set for tags, and follows in the order staff added the customer', async () => {
    const { models } = server.running.services;
    const { ids, tagIds: marks } = await seedCustomers(server, [{ name: '己·排序', store: 'SH01', tags: ['排序乙', '排序甲'], follows: [{ wecomUserid: 'lisi', remark: '后加' }] }]);
    const id = ids.get('己·排序') as number;
    await models.Tag.update({ sort_order: 2 }, { where: { id: marks.get('排序乙') } });
    await models.Tag.update({ sort_order: 1 }, { where: { id: marks.get('排序甲') } });
    await models.CustomerTag.create({ customer_id: id, tag_id: marks.get('排序乙') as number, wecom_userid: 'zhangsan', created_at: new Date() });
    await models.CustomerFollow.create({ customer_id: id, wecom_userid: 'zhangsan', user_id: null, remark: '先加', status: 'active', added_at: new Date('2020-01-01T00:00:00Z') } as never);
    const [item] = (await list(`tagIds=${marks.get('排序甲')}`)).items;
    expect(item?.tags.map((t) => t.name)).toEqual(['排序甲', '排序乙']);
    expect(item?.follows.map((f) => f.remark)).toEqual(['先加', '后加']);
  });
});

describe('paging through customers', () => {
  let server: TestServer;
  let admin: string;
  let tag: number;

  beforeAll(async () => {
    server = await startTestServer();
    admin = await server.login('admin');
    const seeded = await seedCustomers(
      server,
      Array.from({ length: 45 }, (_, i) => ({ name: `翻页客户${String(i).padStart(2, '0')}`, store: 'SH01' as const, tags: ['翻页'] })),
    );
    tag = seeded.tagIds.get('翻页') as number;
  });
  afterAll(() => server.stop());

  const page = async (query: string) => (await server.api<Page>('GET', `/api/customers?tagIds=${tag}&${query}`, { token: admin })).body.data;

  it('pages without overlap or gaps, newest first, the same way every time', async () => {
    const seen: number[] = [];
    for (let p = 1; p <= 5; p += 1) {
      const first = await page(`page=${p}&pageSize=10`);
      const again = await page(`page=${p}&pageSize=10`);
      expect(again.items.map((c) => c.id)).toEqual(first.items.map((c) => c.id));
      expect(first.total).toBe(45);
      seen.push(...first.items.map((c) => c.id));
    }
    expect(seen).toHaveLength(45);
    expect(new Set(seen).size).toBe(45);
    expect(seen).toEqual([...seen].sort((a, b) => b - a));
  });

  it('pages by keyset (afterId) to the same sequence, unaffected by customers added meanwhile', async () => {
    const offsetOrder = (await page('pageSize=45')).items.map((c) => c.id);
    const keyset: number[] = [];
    const totals: number[] = [];
    let afterId: number | null = null;
    do {
      const next: Page['data'] = await page(`pageSize=10${afterId ? `&afterId=${afterId}` : ''}`);
      keyset.push(...next.items.map((c) => c.id));
      totals.push(next.total);
      if (keyset.length === 10) await seedCustomers(server, [{ name: '翻页途中新增', store: 'SH01', tags: ['翻页'] }]);
      afterId = next.nextAfterId;
    } while (afterId);
    expect(keyset).toEqual(offsetOrder);
    // Every keyset page, the short last one too, counts all that match (one was added after the first).
    expect(totals).toEqual([45, 46, 46, 46, 46]);
  });
});
