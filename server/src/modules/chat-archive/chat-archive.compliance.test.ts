import { startTestServer, type TestServer } from '../../testing/test-server';
import { storeBatch, type PulledMessage } from './archive-batch-store';

type Reply<T> = { data: T };
interface Rule {
  id: number;
  name: string;
}
interface Alert {
  id: number;
  ruleName: string;
  excerpt: string;
  storeId: number | null;
  employee: string | null;
  customerId: number | null;
  status: string;
  note: string | null;
  handledBy: string | null;
}
interface Page<T> {
  items: T[];
  total: number;
}

const corpId = 'wwcompliance';
let seq = 0;
const text = (content: string, from: string, to: string): PulledMessage => ({
  kind: 'decrypted',
  seq: ++seq,
  publickeyVer: 1,
  message: { msgid: `comp-${seq}`, action: 'send', from, tolist: [to], roomid: '', msgtime: Date.UTC(2026, 10, 20, 2, seq), msgtype: 'text', text: { content } },
});

describe('chat archive compliance rules and alerts', () => {
  let server: TestServer;
  let admin: string;
  let sandboxUrl: string;
  let sh: { store: number; customer: number };
  let hz: { store: number; customer: number };
  let managers: { sh: string; sh2: string; hz: string; staff: string; employee: string };

  const api = <T>(method: string, path: string, token = admin, body?: unknown) => server.api<Reply<T>>(method, path, { token, body });
  const alerts = async (token = admin, query = '') => (await api<Page<Alert>>('GET', `/api/chat-archive/alerts${query}`, token)).body.data;
  const store = async (pulled: PulledMessage[]) => {
    const { db, models, chatArchive } = server.running.services;
    const cursor = await models.ArchiveCursor.findOne({ where: { corp_id: corpId }, raw: true });
    const result = await storeBatch(db, models, { corpId, fromSeq: Number(cursor?.last_seq ?? 0), toSeq: Math.max(...pulled.map((p) => p.seq)), pulled, compliance: chatArchive.compliance });
    if (!result) throw new Error('store failed');
    return result;
  };
  const received = async (userid: string) => ((await (await fetch(`${sandboxUrl}/__sandbox/state/messages?userid=${userid}`)).json()) as { messages: Array<{ content: { content: string } }> }).messages;

  beforeAll(async () => {
    server = await startTestServer({ env: { WECOM_SANDBOX: 'auto', WECOM_SANDBOX_CUSTOMERS: '5', JOB_WORKER_ENABLED: 'false' } });
    admin = await server.login('admin', server.adminPassword);
    sandboxUrl = server.running.sandbox!.url;
    const { models } = server.running.services;
    await models.ArchiveCursor.create({ corp_id: corpId, last_seq: 0 });
    const storeOf = async (code: string) => {
      const storeId = Number((await models.Store.findOne({ where: { code }, raw: true }))?.id);
      const customer = Number((await models.Customer.findOne({ where: { store_id: storeId }, order: [['id', 'ASC']], raw: true }))?.id);
      return { store: storeId, customer };
    };
    sh = await storeOf('SH01');
    hz = await storeOf('HZ01');
    await models.Customer.update({ external_userid: 'wmCompSh' }, { where: { id: sh.customer } });
    await models.Customer.update({ external_userid: 'wmCompHz' }, { where: { id: hz.customer } });
    // Members of the sandbox corp, so its message/send accepts them.
    const employees = ((await (await fetch(`${sandboxUrl}/__sandbox/state/employees?limit=10`)).json()) as { employees: Array<{ userid: string }> }).employees.map((e) => e.userid);
    managers = { sh: employees[0]!, sh2: employees[1]!, hz: employees[2]!, staff: employees[3]!, employee: employees[4]! };
    const managerRole = Number((await models.Role.findOne({ where: { code: 'store_manager' }, raw: true }))?.id);
    await models.User.update({ wecom_userid: managers.sh }, { where: { username: 'manager_sh01' } });
    // A second manager of the same store.
    await models.User.update({ wecom_userid: managers.sh2, role_id: managerRole }, { where: { username: 'tech_sh01' } });
    await models.User.update({ wecom_userid: managers.staff }, { where: { username: 'staff_sh01' } });
    await models.User.create({ username: 'manager_hz01', display_name: '西湖店长', password_hash: 'x', role_id: managerRole, store_id: hz.store, wecom_userid: managers.hz } as never);
  }, 120_000);
  afterAll(() => server?.stop());

  it('refuses a rule whose expression could backtrack catastrophically, or a word rule without words, by field, and stores nothing', async () => {
    const nested = await api('POST', '/api/chat-archive/rules', admin, { name: '嵌套', kind: 'regex', pattern: '(a+)+$' });
    expect(nested.status).toBe(400);
    expect(nested.body).toMatchObject({ details: [expect.objectContaining({ path: 'body.pattern', message: expect.stringContaining('nested quantifiers') })] });
    const broken = await api('POST', '/api/chat-archive/rules', admin, { name: '坏的', kind: 'regex', pattern: '微信(' });
    expect(broken.body).toMatchObject({ details: [expect.objectContaining({ path: 'body.pattern', message: 'not a valid regular expression' })] });
    const empty = await api('POST', '/api/chat-archive/rules', admin, { name: '空', kind: 'word', keywords: [] });
    expect(empty.status).toBe(400);
    expect(JSON.stringify(empty.body)).toContain('body.keywords');
    const badSeverity = await api('POST', '/api/chat-archive/rules', admin, { name: '级别', kind: 'word', keywords: ['x'], severity: 'urgent' });
    expect(JSON.stringify(badSeverity.body)).toContain('body.severity');
    expect(await server.running.services.models.ArchiveRule.count()).toBe(0);
    const manager = await server.login('manager_sh01', server.demoPassword);
    expect((await api('POST', '/api/chat-archive/rules', manager, { name: '店长', kind: 'word', keywords: ['x'] })).status).toBe(403);
  });

  it('raises one alert per message and rule, even when the batch is checked again, and tells each store manager once per batch', async () => {
    const words = await api<Rule>('POST', '/api/chat-archive/rules', admin, { name: '敏感词', kind: 'word', keywords: ['返现', '私下转账'], severity: 'high' });
    expect(words.status).toBe(200);
    const regex = await api<Rule>('POST', '/api/chat-archive/rules', admin, { name: '索要微信号', kind: 'regex', pattern: '加.{0,4}微信' });
    expect(regex.status).toBe(200);
    const hzOnly = await api<Rule>('POST', '/api/chat-archive/rules', admin, { name: '杭州专用', kind: 'word', keywords: ['好评'], storeIds: [hz.store] });
    expect(hzOnly.status).toBe(200);
    const { models } = server.running.services;
    expect(await models.AuditLog.count({ where: { action: 'archive.rule_created' } })).toBe(3);

    const batch = [
      text('您好，下单后可以返现 50 元', managers.employee, 'wmCompSh'),
      text('加我个人微信吧，私下转账更便宜', managers.employee, 'wmCompSh'),
      text('给个好评吧', managers.employee, 'wmCompSh'),
      text('安装时间定在周六上午', managers.employee, 'wmCompSh'),
      text('麻烦给个好评，可以返现', 'wmCompHz', managers.employee),
    ];
    expect(await store(batch)).toEqual({ stored: 5, parked: 0 });
    const rows = await models.ArchiveAlert.findAll({ order: [['message_id', 'ASC'], ['rule_id', 'ASC']], raw: true });
    expect(rows.map((r) => [r.msgid, r.rule_name])).toEqual([
      [batch[0]!.kind === 'decrypted' && batch[0]!.message.msgid, '敏感词'],
      [batch[1]!.kind === 'decrypted' && batch[1]!.message.msgid, '敏感词'],
      [batch[1]!.kind === 'decrypted' && batch[1]!.message.msgid, '索要微信号'],
      [batch[4]!.kind === 'decrypted' && batch[4]!.message.msgid, '敏感词'],
      [batch[4]!.kind === 'decrypted' && batch[4]!.message.msgid, '杭州专用'],
    ]);
    expect(rows[0]).toMatchObject({ store_id: sh.store, customer_id: sh.customer, employee_userid: managers.employee, severity: 'high', status: 'open' });
    expect(rows[0]!.excerpt).toContain('返现');

    // The same batch again: already stored messages are skipped, and a second check of the same rows adds nothing.
    const cursor = await models.ArchiveCursor.findOne({ where: { corp_id: corpId }, raw: true });
    await storeBatch(server.running.services.db, models, { corpId, fromSeq: Number(cursor?.last_seq), toSeq: Number(cursor?.last_seq) + 1, pulled: batch, compliance: server.running.services.chatArchive.compliance });
    const stored = await models.ArchiveMessage.findAll({ where: { msgid: rows.map((r) => r.msgid) }, raw: true });
    await server.running.services.db.transaction((tx) => server.running.services.chatArchive.compliance(stored, tx));
    expect(await models.ArchiveAlert.count()).toBe(5);

    await server.running.services.queue.drain();
    for (const manager of [managers.sh, managers.sh2]) {
      const messages = await received(manager);
      expect(messages).toHaveLength(1);
      expect(messages[0]!.content.content).toContain('2 条消息触发合规规则');
    }
    expect((await received(managers.hz))[0]!.content.content).toContain('杭州专用');
    expect(await received(managers.hz)).toHaveLength(1);
    expect(await received(managers.staff)).toHaveLength(0);
    expect(await models.ArchiveAlert.count({ where: { notified_at: null } })).toBe(0);

    // A later batch is a new message for each manager.
    await store([text('我们可以私下转账', managers.employee, 'wmCompSh')]);
    await server.running.services.queue.drain();
    expect(await received(managers.sh)).toHaveLength(2);
    expect(await received(managers.hz)).toHaveLength(1);
  });

  it('lists alerts with filters within the store scope and marks one handled with a note, audited, once', async () => {
    const all = await alerts();
    expect(all.total).toBe(6);
    const manager = await server.login('manager_sh01', server.demoPassword);
    const mine = await alerts(manager);
    expect(mine.total).toBe(4);
    expect(mine.items.every((a) => a.storeId === sh.store)).toBe(true);
    expect((await alerts(admin, `?storeId=${hz.store}`)).total).toBe(2);
    const ruleId = Number((await server.running.services.models.ArchiveRule.findOne({ where: { name: '索要微信号' }, raw: true }))?.id);
    expect((await alerts(admin, `?ruleId=${ruleId}`)).items.map((a) => a.ruleName)).toEqual(['索要微信号']);
    expect((await alerts(admin, '?from=2027-01-01T00:00:00Z')).total).toBe(0);
    expect((await api('GET', '/api/chat-archive/alerts?status=closed')).status).toBe(400);

    const hzAlert = (await alerts(admin, `?storeId=${hz.store}`)).items[0]!;
    expect((await api('POST', `/api/chat-archive/alerts/${hzAlert.id}/handle`, manager, { note: '不是我店的' })).status).toBe(404);
    const target = mine.items[0]!;
    expect((await api('POST', `/api/chat-archive/alerts/${target.id}/handle`, manager, { note: '' })).status).toBe(400);
    const handled = await api<Alert>('POST', `/api/chat-archive/alerts/${target.id}/handle`, manager, { note: '已与员工沟通' });
    expect(handled.status).toBe(200);
    expect(handled.body.data).toMatchObject({ status: 'handled', note: '已与员工沟通', handledBy: '徐汇店长' });
    expect((await api('POST', `/api/chat-archive/alerts/${target.id}/handle`, manager, { note: '再来一次' })).status).toBe(409);
    expect((await alerts(manager, '?status=open')).total).toBe(3);
    expect((await alerts(manager, '?status=handled')).items.map((a) => a.id)).toEqual([target.id]);
    const audit = await server.running.services.models.AuditLog.findOne({ where: { action: 'archive.alert_handled', target_id: String(target.id) }, raw: true });
    expect(JSON.parse(String(audit?.diff))).toMatchObject({ after: { status: 'handled', note: '已与员工沟通' } });
    const staff = await server.login('staff_sh01', server.demoPassword);
    expect((await api('GET', '/api/chat-archive/alerts', staff)).status).toBe(403);
  });

  it('changes and deletes rules, audited; a disabled rule raises nothing', async () => {
    const { models } = server.running.services;
    const rule = (await models.ArchiveRule.findOne({ where: { name: '敏感词' }, raw: true }))!;
    const changed = await api<Rule & { enabled: boolean }>('PUT', `/api/chat-archive/rules/${rule.id}`, admin, { name: '敏感词', kind: 'word', keywords: ['返现'], enabled: false });
    expect(changed.body.data).toMatchObject({ enabled: false });
    const before = await models.ArchiveAlert.count();
    await store([text('还能返现吗', managers.employee, 'wmCompSh')]);
    expect(await models.ArchiveAlert.count()).toBe(before);
    expect((await api('DELETE', `/api/chat-archive/rules/${rule.id}`)).status).toBe(200);
    expect((await api('DELETE', `/api/chat-archive/rules/${rule.id}`)).status).toBe(404);
    expect(await models.AuditLog.count({ where: { action: ['archive.rule_updated', 'archive.rule_deleted'] } })).toBe(2);
  });
});
