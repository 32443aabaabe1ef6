import { Op } from 'sequelize';
import { startTestServer, type TestServer } from '../../../testing/test-server';
import { cryptoFor, externalContactXml, sealedCallback } from '../../../testing/wecom-test-callbacks';
import { waitUntil } from '../../../testing/wait-until';
import { mirrorSandboxTags, SANDBOX_CORP, startSyncSandbox } from '../../customer-sync/customer-sync-test-kit';
import { createEngagementModule } from '../engagement.module';

type Kit = Awaited<ReturnType<typeof startSyncSandbox>>;
interface Way { id: number; state: string; configId: string; qrCode: string; currentUsers: string[] }
interface Send { status: string; errcode: number | null; error: string | null; latencyMs: number | null }

/** A 1×1 PNG: what a flyer attachment looks like to WeCom's media/upload. */
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

describe('channel contact ways and welcome messages', () => {
  let kit: Kit;
  let server: TestServer;
  let admin: string;
  let employees: string[];
  let tagId: number;
  let storeId: number;

  const sandbox = async <T>(path: string) => (await (await fetch(`${kit.url}/__sandbox/${path}`)).json()) as T;
  const scan = async (body: Record<string, unknown>) => {
    const res = await fetch(`${kit.url}/__sandbox/events/customer-added`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return (await res.json()) as { externalUserId: string; welcomeCode: string };
  };
  const welcomes = async () => (await sandbox<{ welcomeMessages: Array<{ welcomeCode: string; text?: { content: string }; attachments: Array<{ msgtype: string }> }> }>('state/welcome-messages')).welcomeMessages;
  const settle = async () => {
    const { services } = server.running;
    for (let round = 0; round < 6; round += 1) {
      await kit.sandbox.drainCallbacks();
      await services.wecom.callbacks.dispatchPending();
      if ((await services.queue.drain()) === 0) break;
    }
  };
  const create = async (body: Record<string, unknown>) => server.api<{ data: Way }>('POST', '/api/engagement/contact-ways', { token: admin, body });
  const sends = async (id: number) => (await server.api<{ data: Send[] }>('GET', `/api/engagement/contact-ways/${id}/welcome-sends`, { token: admin })).body.data;

  beforeAll(async () => {
    kit = await startSyncSandbox({ employees: 4, customers: 6, seed: 5 });
    server = await startTestServer({ env: { ...kit.env, JOB_WORKER_ENABLED: 'false' } });
    const { models } = server.running.services;
    await mirrorSandboxTags(models, kit.sandbox);
    employees = kit.sandbox.state.directory.activeEmployees().map((e) => e.userid);
    tagId = Number((await models.Tag.findOne({ where: {}, order: [['id', 'ASC']], raw: true }))!.id);
    storeId = Number((await models.Store.findOne({ where: {}, order: [['id', 'DESC']], raw: true }))!.id);
    kit.pointCallbacksAt(server.baseUrl);
    admin = await server.login('admin');
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    await kit?.sandbox.close();
  });

  it('refuses a contact way with a bad state or an unknown tag, naming the field, and creates nothing', async () => {
    const bad = await create({ name: '门店柜台', state: 'has space', users: [employees[0]], tagIds: [999_999] });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('state');
    const unknownTag = await create({ name: '门店柜台', state: 'counter0', users: [employees[0]], tagIds: [999_999] });
    expect(unknownTag.status).toBe(400);
    expect(JSON.stringify(unknownTag.body)).toContain('body.tagIds.0');
    expect(await server.running.services.models.ContactWay.count()).toBe(0);
    expect(kit.sandbox.state.contactWays.list()).toHaveLength(0);
  });

  it('sends the welcome message with its attachments on the fast lane once, and attributes, tags and assigns the store', async () => {
    const welcome = { text: '欢迎光临！', attachments: [{ type: 'image', fileName: 'flyer.png', dataBase64: PNG }, { type: 'link', title: '新品', url: 'https://shop.example.com/new' }] };
    const created = await create({ name: '门店柜台', state: 'counter1', users: [employees[0]], tagIds: [tagId], storeId, welcome });
    expect(created.status).toBe(200);
    const way = created.body.data;
    expect(way.qrCode).toMatch(/^https?:/);
    expect(kit.sandbox.state.contactWays.get(way.configId)).toMatchObject({ state: 'counter1', users: [employees[0]] });

    const added = await scan({ userId: employees[0], state: 'counter1' });
    await kit.sandbox.drainCallbacks();
    // No queue drain: the fast lane alone delivers the welcome message.
    await waitUntil(async () => (await welcomes()).some((w) => w.welcomeCode === added.welcomeCode), 5_000, 20);
    await settle();
    const sent = (await welcomes()).filter((w) => w.welcomeCode === added.welcomeCode);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ text: { content: '欢迎光临！' } });
    expect(sent[0]!.attachments.map((a) => a.msgtype)).toEqual(['image', 'link']);
    expect(await sends(way.id)).toEqual([expect.objectContaining({ status: 'sent', errcode: null })]);

    // WeCom repeats the callback: no second attempt for the same code.
    const crypto = cryptoFor({ WECOM_CORP_ID: SANDBOX_CORP, WECOM_CALLBACK_TOKEN: kit.callback.token, WECOM_CALLBACK_AES_KEY: kit.callback.encodingAesKey });
    const again = sealedCallback(crypto, SANDBOX_CORP, kit.sandbox.control.pusher.deliveries.at(-1)!.xml);
    expect((await fetch(`${server.baseUrl}${again.path}`, { method: 'POST', body: again.body, headers: { 'content-type': 'text/xml' } })).status).toBe(200);
    await settle();
    expect((await welcomes()).filter((w) => w.welcomeCode === added.welcomeCode)).toHaveLength(1);
    expect(await sends(way.id)).toHaveLength(1);

    const { models } = server.running.services;
    // Attribution waits (with the queue's backoff) for the customer sync to store the new customer.
    await waitUntil(async () => (await settle(), (await models.ChannelAdd.count({ where: { external_userid: added.externalUserId, applied_at: { [Op.ne]: null } } })) === 1), 15_000);
    const customer = await models.Customer.findOne({ where: { external_userid: added.externalUserId }, raw: true });
    expect(Number(customer?.store_id)).toBe(storeId);
    expect(await models.CustomerTag.count({ where: { customer_id: customer?.id, tag_id: tagId, wecom_userid: employees[0] } })).toBe(1);
    expect(await models.CustomerTimeline.count({ where: { customer_id: customer?.id, kind: 'channel.added' } })).toBe(1);
    const stats = await server.api<{ data: Array<{ contactWayId: number; adds: number; losses: number; net: number; welcome: { sent: number } }> }>('GET', '/api/engagement/contact-ways/stats', { token: admin });
    expect(stats.body.data.find((s) => s.contactWayId === way.id)).toMatchObject({ adds: 1, losses: 0, net: 1, welcome: { sent: 1 } });

    await fetch(`${kit.url}/__sandbox/events/customer-deleted-employee`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId: employees[0], externalUserId: added.externalUserId }) });
    await settle();
    const after = await server.api<{ data: Array<{ contactWayId: number; adds: number; losses: number; net: number }> }>('GET', '/api/engagement/contact-ways/stats', { token: admin });
    expect(after.body.data.find((s) => s.contactWayId === way.id)).toMatchObject({ adds: 1, losses: 1, net: 0 });
  });

  it('reports a welcome whose window had passed, or that WeCom refused with 41051, as missed and never retries it', async () => {
    const way = (await create({ name: '传单', state: 'flyer1', users: [employees[1]], welcome: { text: '你好' } })).body.data;
    const crypto = cryptoFor({ WECOM_CORP_ID: SANDBOX_CORP, WECOM_CALLBACK_TOKEN: kit.callback.token, WECOM_CALLBACK_AES_KEY: kit.callback.encodingAesKey });
    const deliver = async (code: string, createTime: number, externalUserId: string) => {
      const xml = externalContactXml(SANDBOX_CORP, { changeType: 'add_external_contact', userId: employees[1]!, externalUserId, createTime, extra: `<State><![CDATA[flyer1]]></State><WelcomeCode><![CDATA[${code}]]></WelcomeCode>` });
      const sealed = sealedCallback(crypto, SANDBOX_CORP, xml);
      expect((await fetch(`${server.baseUrl}${sealed.path}`, { method: 'POST', body: sealed.body, headers: { 'content-type': 'text/xml' } })).status).toBe(200);
    };
    const codes = kit.sandbox.state.messages.welcomeCodes;
    const [late, used] = kit.sandbox.state.customers.idsOf(employees[1]!) as [string, string];
    codes.set('late-code', { code: 'late-code', userid: employees[1]!, externalUserid: late, issuedAt: Date.now() - 30_000 });
    codes.set('used-code', { code: 'used-code', userid: employees[1]!, externalUserid: used, issuedAt: Date.now(), usedAt: Date.now() });
    await deliver('late-code', Math.floor(Date.now() / 1000) - 30, late);
    await deliver('used-code', Math.floor(Date.now() / 1000), used);
    await waitUntil(async () => (await sends(way.id)).every((s) => s.status !== 'sending') && (await sends(way.id)).length === 2, 5_000, 20);
    await settle();
    await settle();
    const outcome = await sends(way.id);
    expect(outcome.map((s) => `${s.status}:${s.errcode ?? '-'}`).sort()).toEqual(['missed:-', 'missed:41051']);
    expect((await welcomes()).filter((w) => w.welcomeCode === 'late-code' || w.welcomeCode === 'used-code')).toHaveLength(0);
  });

  it('routes a scheduled contact way to the members on duty and to backup staff when they have left', async () => {
    const [onDuty, weekend, backup] = employees as [string, string, string];
    const schedule = [{ weekdays: [1, 2, 3, 4, 5], from: '09:00', to: '18:00', users: [onDuty] }, { weekdays: [6, 7], from: '00:00', to: '24:00', users: [weekend] }];
    const way = (await create({ name: '直播间', state: 'live1', users: [onDuty], backupUsers: [backup], schedule })).body.data;
    const { contactWays } = createEngagementModule(server.running.services);
    const wecomUsers = () => kit.sandbox.state.contactWays.get(way.configId)!.users;

    // Monday 2030-01-07 10:00 and Saturday 2030-01-12 10:00 in Asia/Shanghai (UTC+8).
    await contactWays.syncStaff(new Date('2030-01-07T02:00:00Z'));
    expect(wecomUsers()).toEqual([onDuty]);
    await contactWays.syncStaff(new Date('2030-01-12T02:00:00Z'));
    expect(wecomUsers()).toEqual([weekend]);
    // Monday 20:00: nobody is scheduled, so the backup staff take the code.
    await contactWays.syncStaff(new Date('2030-01-07T12:00:00Z'));
    expect(wecomUsers()).toEqual([backup]);

    const { models } = server.running.services;
    await models.WecomEmployee.create({ userid: onDuty, name: onDuty, department_ids: '[]', main_department_id: null, wecom_status: 5, disabled_by_sync: false, seen_run_id: null, left_at: new Date() } as never);
    await contactWays.syncStaff(new Date('2030-01-07T02:00:00Z'));
    expect(wecomUsers()).toEqual([backup]);
    expect((await server.api<{ data: Way }>('GET', `/api/engagement/contact-ways/${way.id}`, { token: admin })).body.data.currentUsers).toEqual([backup]);
  });
});
