import { parse } from 'csv-parse/sync';
import { startTestServer, type TestServer } from '../../testing/test-server';
import type { CustomerImportView } from './customer-import.schemas';
import { csvOf, downloadBytes, encodeGbk, getImport, sheetRows, uploadFile, xlsxOf } from './import-test-helpers';

describe('customer import from xlsx and csv', () => {
  let server: TestServer;
  let admin: string;

  beforeAll(async () => {
    // No background worker: each test runs the import job itself with drain().
    server = await startTestServer({ env: { JOB_WORKER_ENABLED: 'false' } });
    admin = await server.login('admin');
    const { models } = server.running.services;
    const group = await models.TagGroup.create({ name: '客户来源' });
    await models.Tag.bulkCreate([
      { group_id: Number(group.get('id')), name: '老客户' },
      { group_id: Number(group.get('id')), name: '转介绍' },
    ]);
    await models.CustomerFieldDef.bulkCreate([
      { field_key: 'budget', label: '预算', field_type: 'number' },
      { field_key: 'visit_date', label: '到店日期', field_type: 'date' },
      { field_key: 'hobby', label: 'Hobby', field_type: 'multiselect', options: JSON.stringify(['跑步', '游泳']) },
    ]);
  });
  afterAll(() => server.stop());

  const drain = () => server.running.services.queue.drain();
  const models = () => server.running.services.models;

  async function importFile(token: string, fileName: string, bytes: Uint8Array | string): Promise<CustomerImportView> {
    const uploaded = await uploadFile(server, token, fileName, bytes);
    expect(uploaded.status).toBe(200);
    expect(uploaded.body.data.status).toBe('queued');
    await drain();
    return getImport(server, token, uploaded.body.data.id);
  }

  async function customerByPhone(phone: string) {
    const { pii } = server.running.services;
    return models().Customer.findAll({ where: pii.phone.matching(phone), raw: true });
  }

  it('imports a UTF-8 csv with Chinese headers: phones encrypted, stage, tags, custom fields, remark as a note and a timeline entry', async () => {
    const csv = `\ufeff${csvOf([
      ['姓名', '手机号', '地址', '门店编码', '阶段', '标签', '预算', '到店日期', 'Hobby', '备注', '不认识的列'],
      ['王芳', '13900001001', '上海市徐汇区宜山路 1 号', 'SH01', '有意向', '老客户，转介绍', '5000', '2024/3/5', '跑步,游泳', '想换全屋净水', 'x'],
      ['李雷', '139-0000-1002', '', 'HZ01', 'deal', '', '', '', '', '', ''],
    ])}`;
    const done = await importFile(admin, '客户名单.csv', csv);
    expect(done).toMatchObject({ status: 'done', encoding: 'utf-8', format: 'csv', totalRows: 2, processedRows: 2, createdCount: 2, updatedCount: 0, failedCount: 0, progress: 100, fileName: '客户名单.csv' });
    expect(done.ignoredColumns).toEqual(['不认识的列']);

    const [wang] = await customerByPhone('13900001001');
    expect(wang).toMatchObject({ name: '王芳', stage: 'intent', status: 'active' });
    expect(wang?.phone_enc).toMatch(/^v1:/);
    expect(JSON.parse(String(wang?.custom_fields))).toEqual({ budget: 5000, visit_date: '2024-03-05', hobby: ['跑步', '游泳'] });
    expect(wang?.search_text).toBe('王芳 想换全屋净水');
    const stores = new Map((await models().Store.findAll({ raw: true })).map((s) => [s.code, Number(s.id)]));
    expect(Number(wang?.store_id)).toBe(stores.get('SH01'));
    const tags = await models().CustomerTag.findAll({ where: { customer_id: wang?.id }, raw: true });
    expect(tags).toHaveLength(2);
    const notes = await models().CustomerNote.findAll({ where: { customer_id: wang?.id }, raw: true });
    expect(notes.map((n) => n.body)).toEqual(['想换全屋净水']);
    const timeline = await models().CustomerTimeline.findAll({ where: { customer_id: wang?.id }, raw: true });
    expect(timeline.map((e) => e.kind)).toEqual(['customer.imported']);
    expect(JSON.parse(String(timeline[0]?.payload))).toMatchObject({ importId: done.id, rowNo: 2, action: 'created' });

    const [li] = await customerByPhone('13900001002');
    expect(li).toMatchObject({ name: '李雷', stage: 'deal', store_id: stores.get('HZ01') });

    const list = await server.api<{ data: { items: CustomerImportView[]; total: number } }>('GET', '/api/customers/imports', { token: admin });
    expect(list.body.data.items[0]?.id).toBe(done.id);
    const audit = await server.api<{ data: { items: Array<{ action: string; actorName: string; diff: { after: Record<string, unknown> } }> } }>(
      'GET',
      `/api/audit-logs?targetType=customer_import&targetId=${done.id}`,
      { token: admin },
    );
    const actions = audit.body.data.items.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['customer.import_uploaded', 'customer.import_finished']));
    const finished = audit.body.data.items.find((e) => e.action === 'customer.import_finished');
    expect(finished?.actorName).toBe('admin');
    expect(finished?.diff.after).toMatchObject({ created: 2, failed: 0 });
  });

  it('reads a GBK csv (as Excel saves it on Chinese Windows) with English headers', async () => {
    const bytes = encodeGbk(csvOf([
      ['Name', 'Phone', 'Store code', 'Remark'],
      ['赵敏', '13900002001', 'SH01', '门店老客户'],
    ]));
    const done = await importFile(admin, 'gbk.csv', bytes);
    expect(done).toMatchObject({ status: 'done', encoding: 'gb18030', createdCount: 1 });
    const [zhao] = await customerByPhone('13900002001');
    expect(zhao?.name).toBe('赵敏');
  });

  it('imports an xlsx workbook: numeric phones, Excel dates and rich cells', async () => {
    const bytes = await xlsxOf([
      ['姓名*', '手机号', '门店编码', '到店日期', '外部联系人ID'],
      ['周杰', 13900003001, 'SH01', new Date(Date.UTC(2024, 4, 20)), 'wmEXT0001'],
      [{ richText: [{ text: '孙' }, { text: '丽' }] }, '13900003002', 'GZ01', '2024-05-21', ''],
      [],
      ['', '13900003003', 'SH01', '', ''],
    ]);
    const done = await importFile(admin, 'customers.xlsx', bytes);
    expect(done).toMatchObject({ status: 'done', format: 'xlsx', totalRows: 3, createdCount: 2, failedCount: 1 });
    const [zhou] = await customerByPhone('13900003001');
    expect(zhou).toMatchObject({ name: '周杰', external_userid: 'wmEXT0001' });
    expect(JSON.parse(String(zhou?.custom_fields))).toEqual({ visit_date: '2024-05-20' });
    const [sun] = await customerByPhone('13900003002');
    expect(sun?.name).toBe('孙丽');
  });

  it('collects bad rows with row number, column and reason and serves them as a csv or xlsx report', async () => {
    const csv = csvOf([
      ['姓名', '手机号', '门店编码', '阶段', '标签', '预算', '到店日期', 'Hobby'],
      ['好人', '13900004001', 'SH01', '', '', '', '', ''],
      ['', '13900004002', 'SH01', '', '', '', '', ''],
      ['坏手机', '1390000abcd', 'SH01', '', '', '', '', ''],
      ['坏门店', '13900004004', 'XX99', '', '', '', '', ''],
      ['坏阶段', '13900004005', 'SH01', '发呆', '', '', '', ''],
      ['坏标签', '13900004006', 'SH01', '', '不存在的标签', '', '', ''],
      ['坏字段', '13900004007', 'SH01', '', '', '很多', '2024-02-30', '爬山'],
    ]);
    const done = await importFile(admin, 'bad.csv', csv);
    expect(done).toMatchObject({ status: 'done', totalRows: 7, processedRows: 7, createdCount: 1, failedCount: 6 });
    expect(await customerByPhone('13900004004')).toHaveLength(0);

    const report = await downloadBytes(server, admin, `/api/customers/imports/${done.id}/errors?format=csv`);
    expect(report.status).toBe(200);
    expect(report.type).toContain('text/csv');
    expect(report.disposition).toContain('attachment');
    const rows = parse(report.bytes.toString('utf8'), { bom: true }) as string[][];
    expect(rows[0]).toEqual(['行号', '列', '内容', '原因']);
    expect(rows.slice(1)).toEqual([
      ['3', '姓名', '', '必填项为空'],
      ['4', '手机号', '139****abcd', '手机号格式不正确'],
      ['5', '门店编码', 'XX99', '门店编码不存在'],
      ['6', '阶段', '发呆', '客户阶段不存在'],
      ['7', '标签', '不存在的标签', '标签不存在'],
      ['8', '预算', '很多', '不是数字'],
      ['8', '到店日期', '2024-02-30', '不是日期（YYYY-MM-DD）'],
      ['8', 'Hobby', '爬山', '不是可选项之一'],
    ]);

    const xlsx = await downloadBytes(server, admin, `/api/customers/imports/${done.id}/errors?format=xlsx&lang=en-US`);
    expect(xlsx.type).toContain('spreadsheetml');
    const sheet = await sheetRows(xlsx.bytes);
    expect(sheet[0]).toEqual(['Row', 'Column', 'Value', 'Reason']);
    expect(sheet[2]).toEqual(['4', '手机号', '139****abcd', 'not a valid phone number']);
    expect(sheet).toHaveLength(9);
  });

  it('creates no duplicates when the same file is uploaded again, reports the duplicate, and updates rows that changed', async () => {
    const rows = [
      ['姓名', '手机号', '门店编码', '标签', '备注'],
      ['陈一', '13900005001', 'SH01', '老客户', '第一次'],
      ['陈二', '13900005002', 'SH01', '', ''],
      ['无手机', '', 'SH01', '', ''],
      ['陈一', '13900005001', 'HZ01', '', ''],
    ];
    const first = await importFile(admin, 'repeat.csv', csvOf(rows));
    expect(first).toMatchObject({ createdCount: 4, updatedCount: 0, failedCount: 0, duplicateOfId: null });
    const count = await models().Customer.count();

    const again = await importFile(admin, 'repeat-again.csv', csvOf(rows));
    expect(again).toMatchObject({ status: 'done', duplicateOfId: first.id, createdCount: 0, updatedCount: 0, unchangedCount: 4 });
    expect(await models().Customer.count()).toBe(count);

    const changed = rows.map((row) => [...row]);
    (changed[2] as string[])[0] = '陈二改名';
    const third = await importFile(admin, 'repeat-changed.csv', csvOf(changed));
    expect(third).toMatchObject({ duplicateOfId: null, createdCount: 0, updatedCount: 1, unchangedCount: 3 });
    expect(await models().Customer.count()).toBe(count);
    const [chen2] = await customerByPhone('13900005002');
    expect(chen2?.name).toBe('陈二改名');
    // The same phone in another store is another store's customer.
    expect((await customerByPhone('13900005001')).length).toBe(2);
    const [chen1] = await customerByPhone('13900005001');
    expect(await models().CustomerNote.count({ where: { customer_id: chen1?.id } })).toBe(1);
    expect(await models().CustomerTag.count({ where: { customer_id: chen1?.id } })).toBe(1);
  });

  it('lets a store manager import only into their own store and shows them only their imports', async () => {
    const manager = await server.login('manager_sh01');
    const csv = csvOf([
      ['姓名', '手机号', '门店编码'],
      ['本店客户', '13900006001', 'SH01'],
      ['默认本店', '13900006002', ''],
      ['别店客户', '13900006003', 'HZ01'],
    ]);
    const done = await importFile(manager, 'manager.csv', csv);
    expect(done).toMatchObject({ createdCount: 2, failedCount: 1, createdBy: { name: 'manager_sh01' } });
    const sh01 = await models().Store.findOne({ where: { code: 'SH01' }, raw: true });
    const [defaulted] = await customerByPhone('13900006002');
    expect(Number(defaulted?.store_id)).toBe(Number(sh01?.id));
    expect(await customerByPhone('13900006003')).toHaveLength(0);
    const report = parse((await downloadBytes(server, manager, `/api/customers/imports/${done.id}/errors?format=csv&lang=en-US`)).bytes.toString('utf8'), { bom: true }) as string[][];
    expect(report[1]).toEqual(['4', '门店编码', 'HZ01', 'the store is outside your data scope']);

    // An existing customer of another store, matched by its WeCom external id, is not touched either.
    await models().Customer.create({ name: '杭州老客户', store_id: (await models().Store.findOne({ where: { code: 'HZ01' }, raw: true }))?.id ?? null, external_userid: 'wmHZ0001' });
    const byExternal = await importFile(manager, 'external.csv', csvOf([['姓名', '外部联系人ID'], ['改名', 'wmHZ0001']]));
    expect(byExternal).toMatchObject({ createdCount: 0, updatedCount: 0, failedCount: 1 });
    expect((await models().Customer.findOne({ where: { external_userid: 'wmHZ0001' }, raw: true }))?.name).toBe('杭州老客户');

    const list = await server.api<{ data: { items: CustomerImportView[] } }>('GET', '/api/customers/imports?pageSize=100', { token: manager });
    expect(list.body.data.items.map((i) => i.createdBy.name)).toEqual(['manager_sh01', 'manager_sh01']);
    const adminImport = (await server.api<{ data: { items: CustomerImportView[] } }>('GET', '/api/customers/imports', { token: admin })).body.data.items.find((i) => i.createdBy.name === 'admin');
    expect((await server.api('GET', `/api/customers/imports/${adminImport?.id}`, { token: manager })).status).toBe(404);
    expect((await server.api('GET', `/api/customers/imports/${adminImport?.id}/errors`, { token: manager })).status).toBe(404);
  });

  it('requires the customer:import permission and a signed-in caller', async () => {
    const staff = await server.login('staff_sh01');
    const denied = await uploadFile(server, staff, 'x.csv', csvOf([['姓名'], ['某人']]));
    expect(denied.status).toBe(403);
    expect(denied.body.code).toBe('FORBIDDEN');
    expect((await server.api('GET', '/api/customers/imports', { token: staff })).status).toBe(403);
    expect((await server.api('GET', '/api/customers/imports/template')).status).toBe(401);
  });

  it('rejects unusable files with a clear 4xx and keeps nothing', async () => {
    const before = await models().CustomerImport.count();
    const noName = await uploadFile(server, admin, 'no-name.csv', csvOf([['手机号'], ['13900007001']]));
    expect(noName.status).toBe(400);
    expect(noName.body.message).toContain('name column');
    const xls = await uploadFile(server, admin, 'old.xls', 'whatever');
    expect(xls.status).toBe(400);
    expect(xls.body.message).toContain('.xls');
    const fakeXlsx = await uploadFile(server, admin, 'fake.xlsx', 'not a zip at all');
    expect(fakeXlsx.status).toBe(400);
    const json = await server.api('POST', '/api/customers/imports', { token: admin, body: { file: 'x' } });
    expect(json.status).toBe(415);
    expect(await models().CustomerImport.count()).toBe(before);
  });

  it('serves the import template as xlsx (with a help sheet) and as csv', async () => {
    const xlsx = await downloadBytes(server, admin, '/api/customers/imports/template');
    expect(xlsx.status).toBe(200);
    const header = (await sheetRows(xlsx.bytes))[0];
    expect(header).toEqual(['姓名', '手机号', '地址', '门店编码', '阶段', '标签', '备注', '外部联系人ID', '预算', '到店日期', 'Hobby']);
    const csv = await downloadBytes(server, admin, '/api/customers/imports/template?format=csv&lang=en-US');
    expect(csv.bytes.toString('utf8').replace(/^\ufeff/, '').trim()).toBe('Name,Phone,Address,Store code,Stage,Tags,Remark,External ID,预算,到店日期,Hobby');
    // The template itself is a valid (empty) import file.
    const reupload = await importFile(admin, 'template.csv', csv.bytes);
    expect(reupload).toMatchObject({ status: 'done', totalRows: 0 });
  });
});
