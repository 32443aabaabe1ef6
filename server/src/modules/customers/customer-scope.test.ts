import ExcelJS from 'exceljs';
import { startTestServer, type TestServer } from '../../testing/test-server';
import { seedCustomers } from './customer-list.fixtures';

/**
 * Acceptance: store staff see only their store's customers in the list, in searches, in exports
 * and by id; another store's customer answers 404 as if it did not exist.
 */
describe('store scope of the customer store', () => {
  let server: TestServer;
  let staff: string;
  let manager: string;
  let ids: Map<string, number>;
  let tag: number;
  let hzStoreId: number;

  beforeAll(async () => {
    server = await startTestServer();
    [staff, manager] = [await server.login('staff_sh01'), await server.login('manager_sh01')];
    const seeded = await seedCustomers(server, [
      { name: '范围·上海客户', store: 'SH01', stage: 'intent', tags: ['范围标签'], follows: [{ wecomUserid: 'zhangsan', remark: '范围备注' }], customFields: { level: 'gold' } },
      { name: '范围·杭州客户', store: 'HZ01', stage: 'intent', tags: ['范围标签'], follows: [{ wecomUserid: 'zhangsan', remark: '范围备注' }], customFields: { level: 'gold' }, phone: '13977778888' },
    ]);
    ids = seeded.ids;
    tag = seeded.tagIds.get('范围标签') as number;
    hzStoreId = seeded.stores.get('HZ01') as number;
  });
  afterAll(() => server.stop());

  const names = async (query: string, token: string) => {
    const reply = await server.api<{ data: { items: Array<{ name: string; storeName: string }>; total: number } }>('GET', `/api/customers?pageSize=200&${query}`, { token });
    expect(reply.status).toBe(200);
    expect(reply.body.data.items.every((c) => c.storeName === '上海徐汇店')).toBe(true);
    expect(reply.body.data.total).toBe(reply.body.data.items.length);
    return reply.body.data.items.map((c) => c.name).filter((n) => n.startsWith('范围'));
  };

  it('lists only their store, whatever the filter', async () => {
    expect(await names('', staff)).toEqual(['范围·上海客户']);
    expect(await names(`tagIds=${tag}`, staff)).toEqual(['范围·上海客户']);
    expect(await names('stage=intent&followWecomUserid=zhangsan&cf.level=gold', staff)).toEqual(['范围·上海客户']);
    // Asking for another store explicitly finds nothing rather than widening the scope.
    expect(await names(`storeId=${hzStoreId}`, staff)).toEqual([]);
  });

  it('searches only their store, by keyword and (for managers) by phone', async () => {
    expect(await names(`q=${encodeURIComponent('范围')}`, staff)).toEqual(['范围·上海客户']);
    expect(await names(`q=${encodeURIComponent('范围备注')}`, staff)).toEqual(['范围·上海客户']);
    expect(await names('phone=13977778888', manager)).toEqual([]);
  });

  it('exports only their store', async () => {
    const response = await fetch(`${server.baseUrl}/api/customers/export?format=xlsx&tagIds=${tag}`, { headers: { authorization: `Bearer ${manager}` } });
    expect(response.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await response.arrayBuffer());
    const exported: string[] = [];
    workbook.getWorksheet('customers')?.eachRow((row, index) => {
      if (index > 1) exported.push(String(row.getCell(2).value));
    });
    expect(exported).toEqual(['范围·上海客户']);
    // Store staff hold no export permission at all.
    expect((await fetch(`${server.baseUrl}/api/customers/export?format=xlsx`, { headers: { authorization: `Bearer ${staff}` } })).status).toBe(403);
  });

  it('answers 404 for another store\u2019s customer by id, and 200 for their own', async () => {
    const own = await server.api<{ data: { name: string } }>('GET', `/api/customers/${ids.get('范围·上海客户')}`, { token: staff });
    expect(own.status).toBe(200);
    expect(own.body.data.name).toBe('范围·上海客户');
    const other = ids.get('范围·杭州客户');
    for (const [method, body] of [['GET'], ['PATCH', { name: '越权修改' }], ['DELETE']] as const) {
      const reply = await server.api(method, `/api/customers/${other}`, { token: staff, body });
      expect([method, reply.status, reply.body.code]).toEqual([method, 404, 'NOT_FOUND']);
    }
    const admin = await server.login('admin');
    expect((await server.api<{ data: { name: string } }>('GET', `/api/customers/${other}`, { token: admin })).body.data.name).toBe('范围·杭州客户');
  });
});
