import { startTestServer, type TestServer } from '../../testing/test-server';
import { storeBatch, type PulledMessage } from '../chat-archive/archive-batch-store';

type Reply<T> = { data: T };
interface Conversation {
  items: Array<{ text: string | null; employee: string | null }>;
  consent: string;
  visible: boolean;
}

const corpId = 'wwsidebarchat';
let seq = 0;
const text = (content: string, from: string, to: string): PulledMessage => ({
  kind: 'decrypted',
  seq: ++seq,
  publickeyVer: 1,
  message: { msgid: `sbc-${seq}`, action: 'send', from, tolist: [to], roomid: '', msgtime: Date.UTC(2026, 10, 20, 4, seq), msgtype: 'text', text: { content } },
});
const agree = (externalUserid: string): PulledMessage => ({
  kind: 'decrypted',
  seq: ++seq,
  publickeyVer: 1,
  message: { msgid: `sbc-${seq}`, action: 'send', from: externalUserid, tolist: ['xiaowang'], roomid: '', msgtime: Date.UTC(2026, 10, 20, 5, 0), msgtype: 'agree', agree: { userid: externalUserid, agree_time: Date.UTC(2026, 10, 20, 5, 0) } },
});

/** The chat sidebar shows the archived conversation with the customer it is open for. */
describe('sidebar: recent archived conversation', () => {
  let server: TestServer;
  let staff: string;
  let manager: string;
  const ids = { own: 0, other: 0 };

  const conversation = async (token: string, id: number, query = '') => server.api<Reply<Conversation>>('GET', `/api/sidebar/customers/${id}/conversation${query}`, { token });
  const store = async (pulled: PulledMessage[]) => {
    const { db, models } = server.running.services;
    const cursor = await models.ArchiveCursor.findOne({ where: { corp_id: corpId }, raw: true });
    await storeBatch(db, models, { corpId, fromSeq: Number(cursor?.last_seq ?? 0), toSeq: Math.max(...pulled.map((p) => p.seq)), pulled });
  };

  beforeAll(async () => {
    server = await startTestServer();
    staff = await server.login('staff_sh01', server.demoPassword);
    manager = await server.login('manager_sh01', server.demoPassword);
    const { models } = server.running.services;
    await models.ArchiveCursor.create({ corp_id: corpId, last_seq: 0 });
    await models.User.update({ wecom_userid: 'xiaowang' }, { where: { username: 'staff_sh01' } });
    const storeId = async (code: string) => Number((await models.Store.findOne({ where: { code }, raw: true }))?.id);
    const customer = async (code: string, name: string, externalUserid: string) => Number((await models.Customer.create({ store_id: await storeId(code), name, external_userid: externalUserid, added_at: new Date() })).get('id'));
    ids.own = await customer('SH01', '徐汇的客户', 'wm_sbc_own');
    ids.other = await customer('GZ01', '天河的客户', 'wm_sbc_other');
    await store([
      text('您好，我是徐汇店小王', 'xiaowang', 'wm_sbc_own'),
      text('周六上午可以安装吗', 'wm_sbc_own', 'xiaowang'),
      text('我是店长，有问题随时找我', 'dianzhang', 'wm_sbc_own'),
      text('天河的消息', 'xiaowang', 'wm_sbc_other'),
    ]);
  }, 60_000);
  afterAll(() => server?.stop());

  it("shows staff their own conversation with the customer, oldest first, and managers every employee's", async () => {
    const own = await conversation(staff, ids.own);
    expect(own.status).toBe(200);
    expect(own.body.data).toMatchObject({ visible: true, consent: 'unknown' });
    expect(own.body.data.items.map((i) => i.text)).toEqual(['您好，我是徐汇店小王', '周六上午可以安装吗']);
    const all = await conversation(manager, ids.own);
    expect(all.body.data.items.map((i) => i.text)).toEqual(['您好，我是徐汇店小王', '周六上午可以安装吗', '我是店长，有问题随时找我']);
    expect((await conversation(manager, ids.own, '?limit=1')).body.data.items.map((i) => i.text)).toEqual(['我是店长，有问题随时找我']);
  });

  it("treats another store's customer as missing and refuses a bad limit by name", async () => {
    expect((await conversation(staff, ids.other)).status).toBe(404);
    const bad = await conversation(staff, ids.own, '?limit=500');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('limit');
  });

  it('shows nothing until the customer agrees when the corp requires consent', async () => {
    const admin = await server.login('admin', server.adminPassword);
    expect((await server.api('PUT', '/api/chat-archive/settings', { token: admin, body: { consentRequired: true } })).status).toBe(200);
    expect((await conversation(staff, ids.own)).body.data).toEqual({ items: [], consent: 'unknown', visible: false });
    await store([agree('wm_sbc_own')]);
    const after = await conversation(staff, ids.own);
    expect(after.body.data).toMatchObject({ visible: true, consent: 'agreed' });
    expect(after.body.data.items.map((i) => i.text)).toContain('周六上午可以安装吗');
  });
});
