import { startTestServer, type TestServer } from '../../testing/test-server';
import { storeBatch, type PulledMessage } from './archive-batch-store';

type Reply<T> = { data: T };
interface Conversations {
  items: Array<{ text: string | null; customerId: number | null }>;
  total: number;
  consent: string;
  visible: boolean;
}

const employee = 'zhangsan';
let seq = 0;
const text = (content: string, to: string, minute: number): PulledMessage => ({
  kind: 'decrypted',
  seq: ++seq,
  publickeyVer: 1,
  message: { msgid: `cust-${seq}`, action: 'send', from: employee, tolist: [to], roomid: '', msgtime: Date.UTC(2026, 10, 20, 2, minute), msgtype: 'text', text: { content } },
});
const agree = (externalUserid: string): PulledMessage => ({
  kind: 'decrypted',
  seq: ++seq,
  publickeyVer: 1,
  message: { msgid: `cust-${seq}`, action: 'send', from: externalUserid, tolist: [employee], roomid: '', msgtime: Date.UTC(2026, 10, 20, 1, 0), msgtype: 'agree', agree: { userid: externalUserid, agree_time: Date.UTC(2026, 10, 20, 1, 0) } },
});

describe("a customer's archived conversations (360 tab, timeline)", () => {
  let server: TestServer;
  let admin: string;
  let shCustomer: number;
  let hzCustomer: number;

  const conversations = async (token: string, id: number, query = '') => server.api<Reply<Conversations>>('GET', `/api/customers/${id}/chat-archive${query}`, { token });
  const store = async (pulled: PulledMessage[]) => {
    const { db, models } = server.running.services;
    const cursor = await models.ArchiveCursor.findOne({ where: { corp_id: 'wwcust' }, raw: true });
    const from = Number(cursor?.last_seq ?? 0);
    if (!(await storeBatch(db, models, { corpId: 'wwcust', fromSeq: from, toSeq: Math.max(...pulled.map((p) => p.seq)), pulled }))) throw new Error('store failed');
  };

  beforeAll(async () => {
    server = await startTestServer();
    admin = await server.login('admin', server.adminPassword);
    const { models } = server.running.services;
    await models.ArchiveCursor.create({ corp_id: 'wwcust', last_seq: 0 });
    const byCode = async (code: string) => Number((await models.Store.findOne({ where: { code }, raw: true }))?.id);
    const first = async (storeId: number) => Number((await models.Customer.findOne({ where: { store_id: storeId }, order: [['id', 'ASC']], raw: true }))?.id);
    shCustomer = await first(await byCode('SH01'));
    hzCustomer = await first(await byCode('HZ01'));
    await models.Customer.update({ external_userid: 'wmSh' }, { where: { id: shCustomer } });
    await models.Customer.update({ external_userid: 'wmHz' }, { where: { id: hzCustomer } });
  }, 60_000);
  afterAll(() => server?.stop());

  it('pages the conversations newest first and writes one timeline entry per employee and day', async () => {
    await store([text('第一条', 'wmSh', 1), text('第二条', 'wmSh', 2), text('第三条', 'wmSh', 3), text('杭州的消息', 'wmHz', 4)]);
    const page1 = await conversations(admin, shCustomer, '?page=1&pageSize=2');
    expect(page1.status).toBe(200);
    expect(page1.body.data).toMatchObject({ total: 3, visible: true, consent: 'unknown' });
    expect(page1.body.data.items.map((i) => i.text)).toEqual(['第三条', '第二条']);
    expect((await conversations(admin, shCustomer, '?page=2&pageSize=2')).body.data.items.map((i) => i.text)).toEqual(['第一条']);

    const timeline = await server.api<Reply<{ items: Array<{ kind: string; summary: string }> }>>('GET', `/api/customers/${shCustomer}/timeline?kind=archive.`, { token: admin });
    expect(timeline.body.data.items).toEqual([expect.objectContaining({ kind: 'archive.conversation', summary: '会话存档：与 zhangsan 的会话' })]);
    expect(JSON.stringify(timeline.body.data)).not.toContain('第一条');
  });

  it('keeps store managers to their own store', async () => {
    const manager = await server.login('manager_sh01', server.demoPassword);
    expect((await conversations(manager, shCustomer)).body.data.total).toBe(3);
    expect((await conversations(manager, hzCustomer)).status).toBe(404);
    const staff = await server.login('staff_sh01', server.demoPassword);
    expect((await conversations(staff, shCustomer)).status).toBe(403);
  });

  it('shows nothing, and adds no timeline entry, for customers who have not agreed when consent is required', async () => {
    expect((await server.api('PUT', '/api/chat-archive/settings', { token: admin, body: { consentRequired: true } })).status).toBe(200);
    expect((await conversations(admin, shCustomer)).body.data).toMatchObject({ items: [], total: 0, visible: false, consent: 'unknown' });

    await store([text('杭州第二天', 'wmHz', 60 * 24)]);
    const hzTimeline = async () => (await server.api<Reply<{ total: number }>>('GET', `/api/customers/${hzCustomer}/timeline?kind=archive.`, { token: admin })).body.data.total;
    // still only the first day's entry: the second day was stored without consent
    expect(await hzTimeline()).toBe(1);

    await store([agree('wmSh')]);
    // the consent message itself is part of the conversation
    expect((await conversations(admin, shCustomer)).body.data).toMatchObject({ total: 4, visible: true, consent: 'agreed' });
    expect((await conversations(admin, hzCustomer)).body.data.visible).toBe(false);
  });

  it("erases one customer's archive on request, audited, and nobody else's", async () => {
    const { models } = server.running.services;
    const manager = await server.login('manager_sh01', server.demoPassword);
    expect((await server.api('DELETE', `/api/customers/${shCustomer}/chat-archive`, { token: manager })).status).toBe(403);
    const ids = (await models.ArchiveMessage.findAll({ where: { customer_id: shCustomer }, attributes: ['id'], raw: true })).map((r) => Number(r.id));
    expect(ids).toHaveLength(4);

    const reply = await server.api<Reply<{ removed: number }>>('DELETE', `/api/customers/${shCustomer}/chat-archive`, { token: admin });
    expect(reply.status).toBe(200);
    expect(reply.body.data.removed).toBe(4);
    expect(await models.ArchiveMessage.count({ where: { id: ids } })).toBe(0);
    const [postings] = await server.running.services.db.sequelize.query(`SELECT COUNT(*) AS n FROM archive_tokens WHERE message_id IN (${ids.join(',')})`);
    expect((postings as Array<{ n: number }>).map((row) => Number(row.n))).toEqual([0]);
    expect(await models.ArchiveConsent.count({ where: { external_userid: 'wmSh' } })).toBe(0);
    expect(await models.ArchiveMessage.count({ where: { customer_id: hzCustomer } })).toBe(2);
    const audit = await models.AuditLog.findOne({ where: { action: 'archive.customer_deleted', target_id: String(shCustomer) }, raw: true });
    expect(JSON.parse(String(audit?.diff))).toMatchObject({ after: { removed: 4 } });
  });

  it('removes messages older than the retention days and keeps the rest', async () => {
    const { models, chatArchive } = server.running.services;
    expect(await chatArchive.retention.purgeExpired(new Date(Date.UTC(2026, 10, 21, 3, 0)))).toBe(0);
    expect((await server.api('PUT', '/api/chat-archive/settings', { token: admin, body: { retentionDays: 1 } })).status).toBe(200);
    expect(await chatArchive.retention.purgeExpired(new Date(Date.UTC(2026, 10, 21, 3, 0)))).toBe(1);
    expect((await models.ArchiveMessage.findAll({ where: { customer_id: hzCustomer }, raw: true })).map((r) => r.text)).toEqual(['杭州第二天']);
    expect(await models.AuditLog.count({ where: { action: 'archive.retention_purged' } })).toBe(1);
  });

  it('refuses bad paging by field name', async () => {
    const reply = await conversations(admin, shCustomer, '?pageSize=1000');
    expect(reply.status).toBe(400);
    expect(JSON.stringify(reply.body)).toContain('pageSize');
  });
});
