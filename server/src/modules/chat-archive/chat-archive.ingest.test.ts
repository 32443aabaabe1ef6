import type { Actor } from '../access/actor';
import { startTestServer, type TestServer } from '../../testing/test-server';
import { loadFinanceSdk, type FinanceSdk } from '@scrm/wecom-adapter/src/finance/finance-sdk';
import { createArchiveIngest, type ArchiveIngest } from './archive-ingest';
import { createRsaPool, type RsaPool } from './archive-rsa-pool';
import { archiveFixture, archiveKeyPair, textMessage } from './archive-test-kit';

const key1 = archiveKeyPair(1);
const key2 = archiveKeyPair(2);
const key3 = archiveKeyPair(3);
const employee = 'zhangsan';
const base = { action: 'send', from: employee, roomid: '', msgtime: 1_700_000_000_000 };

describe('chat archive ingestion through the Finance SDK stand-in', () => {
  let server: TestServer;
  let sdk: FinanceSdk;
  let rsa: RsaPool;
  let ingest: ArchiveIngest;
  let fixture: ReturnType<typeof archiveFixture>['fixture'];
  let customers: Array<{ id: number; storeId: number; externalUserid: string }>;
  let removeFixture: () => void = () => undefined;

  beforeAll(async () => {
    server = await startTestServer();
    const setup = archiveFixture();
    fixture = setup.fixture;
    removeFixture = setup.remove;
    sdk = loadFinanceSdk(setup.sdkPath, { corpId: 'wwtest', secret: 'archive-secret' });
    // Small threshold so the worker-thread path runs too.
    rsa = createRsaPool({ threads: 2, minParallel: 4 });
    const { models, chatArchive, log } = server.running.services;
    ingest = createArchiveIngest({ db: server.running.services.db, models, keys: chatArchive.keys, sdk, rsa, corpId: 'wwtest', log, batchSize: 7 });
    const rows = await models.Customer.findAll({ where: {}, order: [['id', 'ASC']], raw: true });
    const byStore = new Map<number, (typeof rows)[number]>();
    for (const row of rows) if (row.store_id !== null && !byStore.has(Number(row.store_id))) byStore.set(Number(row.store_id), row);
    customers = [...byStore.values()].slice(0, 2).map((row, i) => ({ id: Number(row.id), storeId: Number(row.store_id), externalUserid: `wmCustomer${i}` }));
    for (const c of customers) await models.Customer.update({ external_userid: c.externalUserid }, { where: { id: c.id } });
  }, 60_000);

  afterAll(async () => {
    sdk?.destroy();
    await rsa?.close();
    await server?.stop();
    removeFixture();
  });

  const drain = async () => {
    let total = 0;
    for (;;) {
      const { pulled } = await ingest.runOnce();
      if (!pulled) return total;
      total += pulled;
    }
  };

  it('stores every message type once, marks the recalled message, records consent and keeps unknown types raw', async () => {
    const { models } = server.running.services;
    const admin = await server.login('admin', server.adminPassword);
    expect((await server.api('PUT', '/api/chat-archive/keys/1', { token: admin, body: { privateKey: key1.privateKeyPem } })).status).toBe(200);
    expect((await server.api('PUT', '/api/chat-archive/keys/2', { token: admin, body: { privateKey: key2.privateKeyPem } })).status).toBe(200);
    const bad = await server.api('PUT', '/api/chat-archive/keys/4', { token: admin, body: { privateKey: 'x'.repeat(200) } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('privateKey');

    const to = [customers[0]!.externalUserid];
    const messages = [
      { ...base, msgid: 't1', tolist: to, msgtype: 'text', text: { content: '您好，明天上午空调安装' } },
      { ...base, msgid: 'i1', tolist: to, msgtype: 'image', image: { md5sum: 'x', filesize: 10, sdkfileid: 'img1' } },
      { ...base, msgid: 'v1', tolist: to, msgtype: 'voice', voice: { md5sum: 'x', voice_size: 10, play_length: 1, sdkfileid: 'voice1' } },
      { ...base, msgid: 'vd1', tolist: to, msgtype: 'video', video: { md5sum: 'x', filesize: 10, play_length: 1, sdkfileid: 'video1' } },
      { ...base, msgid: 'f1', tolist: to, msgtype: 'file', file: { md5sum: 'x', filename: '安装说明.pdf', fileext: 'pdf', filesize: 10, sdkfileid: 'file1' } },
      { ...base, msgid: 'mx1', tolist: to, msgtype: 'mixed', mixed: { item: [{ type: 'text', content: '{"content":"混合消息 hello"}' }] } },
      { ...base, msgid: 'l1', tolist: to, msgtype: 'link', link: { title: '保养指南', description: 'Aircon care', link_url: 'https://example.com' } },
      { ...base, msgid: 'c1', tolist: to, msgtype: 'card', card: { corpname: '某某公司', userid: 'lisi' } },
      { ...base, msgid: 'lo1', tolist: to, msgtype: 'location', location: { longitude: 121.4, latitude: 31.2, address: '徐汇区', title: '门店', zoom: 15 } },
      { ...base, msgid: 'e1', tolist: to, msgtype: 'emotion', emotion: { type: 1, width: 10, height: 10, sdkfileid: 'emo1', md5sum: 'x', imagesize: 10 } },
      { ...base, msgid: 'r1', tolist: to, action: 'recall', msgtype: 'revoke', revoke: { pre_msgid: 't1' } },
      { ...base, msgid: 'a1', from: to[0], tolist: [employee], msgtype: 'agree', agree: { userid: to[0], agree_time: 1_700_000_001_000 } },
      { ...base, msgid: 'd1', from: to[0], tolist: [employee], msgtype: 'disagree', disagree: { userid: to[0], disagree_time: 1_700_000_000_500 } },
      { msgid: 's1', action: 'switch', time: 1_700_000_002_000, user: employee },
      { ...base, msgid: 'w1', tolist: to, msgtype: 'sphfeed', sphfeed: { feed_type: 4, sph_name: '视频号' } },
    ];
    fixture.append(messages.map((message, i) => ({ message, key: i % 2 ? key2 : key1 })));
    expect(await drain()).toBe(messages.length);

    const rows = await models.ArchiveMessage.findAll({ order: [['seq', 'ASC']], raw: true });
    expect(rows.map((r) => [r.msgid, r.status, r.msgtype])).toEqual(messages.map((m) => [m.msgid, 'stored', 'msgtype' in m ? m.msgtype : 'switch']));
    expect(rows.find((r) => r.msgid === 't1')).toMatchObject({ revoked_at: expect.anything(), customer_id: customers[0]!.id, store_id: customers[0]!.storeId, text: '您好，明天上午空调安装' });
    expect(JSON.parse(rows.find((r) => r.msgid === 'w1')!.payload!)).toMatchObject({ sphfeed: { sph_name: '视频号' } });
    // The later agree wins over the earlier disagree, whatever the arrival order.
    expect(await models.ArchiveConsent.findOne({ where: { external_userid: to[0] }, raw: true })).toMatchObject({ status: 'agreed', msgid: 'a1' });

    // Pulling the same range again (a cursor that fell back) stores nothing twice.
    await models.ArchiveCursor.update({ last_seq: 0 }, { where: { corp_id: 'wwtest' } });
    await drain();
    expect(await models.ArchiveMessage.count()).toBe(messages.length);
  });

  it('parks a message whose key version is unknown and stores it once the key is added', async () => {
    const { models, chatArchive } = server.running.services;
    const parties = { from: employee, to: customers[1]!.externalUserid };
    const [early] = fixture.append([{ message: textMessage('版本三的空调维修消息', parties), key: key3 }]);
    fixture.append([{ message: textMessage('版本一的消息', parties), key: key1 }]);
    await drain();
    expect(await models.ArchiveMessage.findOne({ where: { msgid: early!.msgid }, raw: true })).toMatchObject({ status: 'parked', publickey_ver: 3, encrypt_chat_msg: early!.encrypt_chat_msg });
    expect(await ingest.processParked()).toBe(0);
    expect((await chatArchive.status()).parked).toBe(1);

    await chatArchive.keys.put(3, key3.privateKeyPem);
    expect(await ingest.processParked()).toBe(1);
    expect(await models.ArchiveMessage.findOne({ where: { msgid: early!.msgid }, raw: true })).toMatchObject({ status: 'stored', text: '版本三的空调维修消息', encrypt_chat_msg: null, store_id: customers[1]!.storeId });
  });

  it('finds Chinese substrings and English words, and only inside the caller\'s store scope', async () => {
    const { chatArchive } = server.running.services;
    const [a, b] = customers as [(typeof customers)[0], (typeof customers)[0]];
    fixture.append(
      [
        textMessage('师傅说下周二上门做空调安装，请留人在家', { from: employee, to: a.externalUserid }),
        textMessage('空调 安装好了吗', { from: a.externalUserid, to: employee }),
        textMessage('安装空调要多久', { from: employee, to: b.externalUserid }),
        textMessage('我们的空调安装服务 Installation included', { from: employee, to: b.externalUserid }),
      ].map((message) => ({ message, key: key1 })),
    );
    await drain();
    const admin = await server.login('admin', server.adminPassword);
    const reply = await server.api<{ data: { items: Array<{ text: string; storeId: number }> } }>('GET', `/api/chat-archive/messages?q=${encodeURIComponent('空调安装')}`, { token: admin });
    expect(reply.status).toBe(200);
    const texts = (reply.body.data as { items: Array<{ text: string }> }).items.map((i) => i.text);
    // Substrings only: "空调 安装" and "安装空调" carry the same bigrams in part but not the phrase.
    expect(texts.sort()).toEqual(['师傅说下周二上门做空调安装，请留人在家', '您好，明天上午空调安装', '我们的空调安装服务 Installation included'].sort());

    const english = await server.api('GET', '/api/chat-archive/messages?q=INSTALLATION', { token: admin });
    expect((english.body.data as { items: Array<{ text: string }> }).items.map((i) => i.text)).toEqual(['我们的空调安装服务 Installation included']);
    const single = await server.api('GET', `/api/chat-archive/messages?q=${encodeURIComponent('修')}`, { token: admin });
    expect((single.body.data as { items: Array<{ text: string }> }).items.map((i) => i.text)).toEqual(['版本三的空调维修消息']);

    const storeActor = (storeId: number): Actor => ({ userId: 1, username: 'x', displayName: 'x', roleId: 1, roleCode: 'store_manager', permissions: new Set(['archive:read']), dataScope: 'store', regionId: null, storeId, storeIds: [storeId], sessionId: 's' });
    const inA = await chatArchive.search.search(storeActor(a.storeId), { q: '空调安装', limit: 20 });
    expect(inA.items.map((i) => i.text).sort()).toEqual(['师傅说下周二上门做空调安装，请留人在家', '您好，明天上午空调安装'].sort());
    const inB = await chatArchive.search.search(storeActor(b.storeId), { q: '空调安装', limit: 20, customerId: b.id });
    expect(inB.items.map((i) => i.text)).toEqual(['我们的空调安装服务 Installation included']);
    const paged = await chatArchive.search.search(storeActor(a.storeId), { q: '空调安装', limit: 1 });
    expect(paged.items).toHaveLength(1);
    const next = await chatArchive.search.search(storeActor(a.storeId), { q: '空调安装', limit: 1, beforeId: paged.nextBeforeId! });
    expect(next.items.map((i) => i.id)).not.toEqual(paged.items.map((i) => i.id));

    const staff = await server.login('staff_sh01', server.demoPassword);
    expect((await server.api('GET', '/api/chat-archive/messages?q=x', { token: staff })).status).toBe(403);
    expect((await server.api('GET', '/api/chat-archive/messages?limit=1000', { token: admin })).status).toBe(400);
  });
});
