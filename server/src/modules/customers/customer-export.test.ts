import ExcelJS from 'exceljs';
import { startTestServer, type TestServer } from '../../testing/test-server';
import { seedCustomers } from './customer-list.fixtures';

describe('exporting customers to xlsx', () => {
  let server: TestServer;
  let admin: string;
  let vip: number;

  beforeAll(async () => {
    server = await startTestServer();
    admin = await server.login('admin');
    const seeded = await seedCustomers(server, [
      { name: '导出·上海甲', store: 'SH01', stage: 'intent', tags: ['导出VIP', '老客户'], follows: [{ wecomUserid: 'zhangsan', username: 'staff_sh01', remark: '周末到店' }], phone: '13911112222' },
      { name: '导出·上海乙', store: 'SH01', stage: 'new', tags: ['导出VIP'], phone: '13933334444' },
      { name: '导出·杭州丙', store: 'HZ01', stage: 'new', tags: ['导出VIP'], phone: '13955556666' },
    ]);
    vip = seeded.tagIds.get('导出VIP') as number;
  });
  afterAll(() => server.stop());

  async function download(query: string, token: string) {
    const response = await fetch(`${server.baseUrl}/api/customers/export?${query}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: response.status, headers: response.headers, body: Buffer.from(await response.arrayBuffer()) };
  }

  async function sheetRows(body: Buffer) {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(body as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('customers');
    const rows: Array<Record<string, string>> = [];
    const header = (sheet?.getRow(1).values as string[]).slice(1);
    sheet?.eachRow((row, index) => {
      if (index === 1) return;
      const values = (row.values as unknown[]).slice(1);
      rows.push(Object.fromEntries(header.map((key, i) => [key, String(values[i] ?? '')])));
    });
    return { header, rows };
  }

  it('writes the filtered customers as an xlsx workbook, plain phones for holders of customer:pii:read', async () => {
    const file = await download(`format=xlsx&tagIds=${vip}`, admin);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toContain('spreadsheetml');
    expect(file.headers.get('content-disposition')).toMatch(/customers-\d{4}-\d{2}-\d{2}\.xlsx/);
    const { header, rows } = await sheetRows(file.body);
    expect(header).toEqual(['id', 'name', 'phone', 'address', 'store', 'stage', 'status', 'tags', 'follow_users', 'external_userid', 'added_at', 'created_at']);
    expect(rows.map((r) => r.name)).toEqual(['导出·上海甲', '导出·上海乙', '导出·杭州丙']);
    expect(rows[0]).toMatchObject({ phone: '13911112222', store: '上海徐汇店', stage: '有意向', status: 'active', follow_users: '徐汇店员小王' });
    expect(rows[0]?.tags?.split(', ').sort()).toEqual(['导出VIP', '老客户']);
  });

  it('masks phone numbers for exporters without customer:pii:read', async () => {
    const role = await server.api<{ data: { id: number } }>('POST', '/api/roles', {
      token: admin,
      body: { code: 'exporter', name: '导出员', dataScope: 'all', permissions: ['customer:read', 'customer:export'] },
    });
    expect(role.status).toBe(200);
    const user = await server.api('POST', '/api/users', { token: admin, body: { username: 'exporter1', displayName: '导出员', password: 'exporter-pass-1', roleId: role.body.data.id } });
    expect(user.status).toBe(200);
    const token = await server.login('exporter1', 'exporter-pass-1');
    const { rows } = await sheetRows((await download(`format=xlsx&tagIds=${vip}`, token)).body);
    expect(rows.map((r) => r.phone)).toEqual(['139****2222', '139****4444', '139****6666']);
  });

  it('exports only the store in scope, and records who exported what with the filter and the count', async () => {
    const manager = await server.login('manager_sh01');
    const { rows } = await sheetRows((await download(`format=xlsx&tagIds=${vip}`, manager)).body);
    expect(rows.map((r) => r.name)).toEqual(['导出·上海甲', '导出·上海乙']);
    const audit = await server.api<{ data: { items: Array<{ actorName: string; diff: { after: Record<string, unknown> } }> } }>('GET', '/api/audit-logs?action=customer.exported', { token: admin });
    const entry = audit.body.data.items.find((e) => e.actorName === 'manager_sh01');
    expect(entry?.diff.after).toMatchObject({ count: 2, format: 'xlsx', unmasked: true, filter: { tagIds: [vip] } });
  });

  it('keeps the CSV format, with the same filters', async () => {
    const file = await download(`format=csv&tagIds=${vip}&storeId=${(await server.running.services.models.Store.findOne({ where: { code: 'HZ01' }, raw: true }))?.id}`, admin);
    expect(file.headers.get('content-type')).toContain('text/csv');
    const lines = file.body.toString('utf8').replace(/^\uFEFF/, '').trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('导出·杭州丙');
  });

  it('refuses export without customer:export and rejects an unknown format', async () => {
    expect((await download('format=xlsx', await server.login('staff_sh01'))).status).toBe(403);
    expect((await download('format=pdf', admin)).status).toBe(400);
  });
});
