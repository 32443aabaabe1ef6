import type { WecomEvent } from '@scrm/wecom-adapter';
import { startTestServer, type TestServer } from '../../testing/test-server';
import { cryptoFor, externalContactXml, sealedCallback, testWecomEnv } from '../../testing/wecom-test-callbacks';
import { PROCESS_JOB } from './wecom-callback.service';

const wecomEnv = testWecomEnv('ww_callback_corp');
const corp = wecomEnv.WECOM_CORP_ID;
const crypto = cryptoFor(wecomEnv);

/** Every event sample of the protocol notes, in the internal-app format, with the kind it must route to. */
const samples: Array<{ kind: WecomEvent['kind']; xml: string }> = [
  { kind: 'external_contact', xml: externalContactXml(corp, { changeType: 'add_external_contact', userId: 'zhangsan', externalUserId: 'wmA', createTime: 1700000001, extra: '<State><![CDATA[s1]]></State><WelcomeCode><![CDATA[W1]]></WelcomeCode>' }) },
  { kind: 'external_contact', xml: externalContactXml(corp, { changeType: 'edit_external_contact', userId: 'zhangsan', externalUserId: 'wmA', createTime: 1700000002 }) },
  { kind: 'external_contact', xml: externalContactXml(corp, { changeType: 'add_half_external_contact', userId: 'zhangsan', externalUserId: 'wmB', createTime: 1700000003 }) },
  { kind: 'external_contact', xml: externalContactXml(corp, { changeType: 'del_external_contact', userId: 'zhangsan', externalUserId: 'wmA', createTime: 1700000004, extra: '<Source><![CDATA[DELETE_BY_TRANSFER]]></Source>' }) },
  { kind: 'external_contact', xml: externalContactXml(corp, { changeType: 'del_follow_user', userId: 'zhangsan', externalUserId: 'wmA', createTime: 1700000005 }) },
  { kind: 'external_contact', xml: externalContactXml(corp, { changeType: 'transfer_fail', userId: 'lisi', externalUserId: 'wmA', createTime: 1700000006, extra: '<FailReason><![CDATA[customer_refused]]></FailReason>' }) },
  {
    kind: 'external_chat',
    xml: `<xml><ToUserName><![CDATA[${corp}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName><CreateTime>1700000007</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[change_external_chat]]></Event><ChatId><![CDATA[wrC1]]></ChatId><ChangeType><![CDATA[update]]></ChangeType><UpdateDetail><![CDATA[add_member]]></UpdateDetail><JoinScene>1</JoinScene><QuitScene>0</QuitScene><MemChangeCnt>10</MemChangeCnt></xml>`,
  },
  {
    kind: 'external_tag',
    xml: `<xml><ToUserName><![CDATA[${corp}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName><CreateTime>1700000008</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[change_external_tag]]></Event><Id><![CDATA[TAG1]]></Id><TagType><![CDATA[tag]]></TagType><ChangeType><![CDATA[create]]></ChangeType></xml>`,
  },
  {
    kind: 'contact',
    xml: `<xml><ToUserName><![CDATA[${corp}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName><CreateTime>1700000009</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[change_contact]]></Event><ChangeType>create_party</ChangeType><Id>2</Id><Name><![CDATA[张三]]></Name><ParentId>1</ParentId><Order>1</Order></xml>`,
  },
  {
    kind: 'msgaudit_notify',
    xml: `<xml><ToUserName><![CDATA[${corp}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName><CreateTime>1700000010</CreateTime><MsgType><![CDATA[event]]></MsgType><AgentID>2000004</AgentID><Event><![CDATA[msgaudit_notify]]></Event></xml>`,
  },
  {
    kind: 'message',
    xml: `<xml><ToUserName><![CDATA[${corp}]]></ToUserName><FromUserName><![CDATA[mycreate]]></FromUserName><CreateTime>1700000011</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[hello]]></Content><MsgId>4561255354251345929</MsgId><AgentID>218</AgentID></xml>`,
  },
];

describe('WeCom callback ingestion', () => {
  let server: TestServer;
  let admin: string;
  const received: WecomEvent[] = [];
  let failing = false;

  beforeAll(async () => {
    server = await startTestServer({ env: { ...wecomEnv, JOB_WORKER_ENABLED: 'false' } });
    admin = await server.login('admin');
    const { events } = server.running.services.wecom;
    for (const kind of ['external_contact', 'external_chat', 'external_tag', 'contact', 'msgaudit_notify', 'message', 'unknown'] as const) {
      events.on(kind, async (event, { tx }) => {
        if (failing) throw new Error('downstream is down');
        // Counted only when the processing commits: a rolled-back attempt is not a processing.
        tx.afterCommit(() => void received.push(event));
      });
    }
  });
  afterAll(() => server.stop());
  beforeEach(async () => {
    failing = false;
    await drain();
    received.length = 0;
  });

  const post = (xml: string) => {
    const request = sealedCallback(crypto, corp, xml);
    return server.api('POST', request.path, { rawBody: request.body, headers: { 'content-type': 'text/xml' } });
  };
  const drain = async () => {
    await server.running.services.wecom.callbacks.dispatchPending();
    await server.running.services.queue.drain();
  };
  const stored = () => server.running.services.models.WecomCallback.count();

  it('answers the URL check with the decrypted echostr as plain text', async () => {
    const sealed = crypto.seal('1616140317555161061');
    const query = new URLSearchParams({ msg_signature: sealed.msgSignature, timestamp: sealed.timestamp, nonce: sealed.nonce, echostr: sealed.encrypt });
    const response = await fetch(`${server.baseUrl}/wecom/callback?${query.toString()}`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('1616140317555161061');
  });

  it('stores an event before answering 200 with an empty body, then processes it', async () => {
    const before = await stored();
    const reply = await post(externalContactXml(corp, { changeType: 'add_external_contact', userId: 'u1', externalUserId: 'wm1', createTime: 1700001000 }));
    expect(reply.status).toBe(200);
    expect(reply.body).toBe('');
    expect(await stored()).toBe(before + 1);
    expect(received).toHaveLength(0);
    await drain();
    expect(received).toEqual([expect.objectContaining({ kind: 'external_contact', changeType: 'add_external_contact' })]);
  });

  it('processes a retried event once and counts the deliveries', async () => {
    const xml = externalContactXml(corp, { changeType: 'edit_external_contact', userId: 'u1', externalUserId: 'wm2', createTime: 1700002000 });
    const before = await stored();
    for (let i = 0; i < 3; i += 1) expect((await post(xml)).status).toBe(200);
    await drain();
    expect(await stored()).toBe(before + 1);
    expect(received).toHaveLength(1);
    const list = await server.api<{ data: { items: Array<{ deliveries: number; status: string }> } }>('GET', '/api/wecom/callbacks?pageSize=1', { token: admin });
    expect(list.body.data.items[0]).toMatchObject({ deliveries: 3, status: 'processed' });
  });

  it('keeps distinct events of the same second apart', async () => {
    const before = await stored();
    await post(externalContactXml(corp, { changeType: 'add_external_contact', userId: 'u1', externalUserId: 'wm3', createTime: 1700003000 }));
    await post(externalContactXml(corp, { changeType: 'add_external_contact', userId: 'u1', externalUserId: 'wm4', createTime: 1700003000 }));
    await post(externalContactXml(corp, { changeType: 'add_external_contact', userId: 'u2', externalUserId: 'wm3', createTime: 1700003000 }));
    expect(await stored()).toBe(before + 3);
  });

  it('parses and routes every event type of the protocol', async () => {
    for (const sample of samples) expect((await post(sample.xml)).status).toBe(200);
    await drain();
    expect(received.map((e) => e.kind).sort()).toEqual(samples.map((s) => s.kind).sort());
    expect(received.filter((e) => e.kind === 'external_contact').map((e) => ('changeType' in e ? e.changeType : '')).sort()).toEqual(
      ['add_external_contact', 'add_half_external_contact', 'del_external_contact', 'del_follow_user', 'edit_external_contact', 'transfer_fail'],
    );
  });


  it('turns a burst into processing jobs of at most 100 callbacks, each callback in exactly one', async () => {
    const { models } = server.running.services;
    const jobsBefore = await models.Job.count({ where: { type: PROCESS_JOB } });
    const burst = Array.from({ length: 250 }, (_, i) => externalContactXml(corp, { changeType: 'edit_external_contact', userId: 'u5', externalUserId: `wm_burst_${i}`, createTime: 1700007000 }));
    for (let i = 0; i < burst.length; i += 50) await Promise.all(burst.slice(i, i + 50).map((xml) => post(xml)));
    await server.running.services.wecom.callbacks.dispatchPending();
    const jobs = await models.Job.findAll({ where: { type: PROCESS_JOB }, order: [['id', 'ASC']], offset: jobsBefore, raw: true });
    const batches = jobs.map((job) => (JSON.parse(job.payload) as { callbackIds: number[] }).callbackIds);
    // The timer a delivery sets may dispatch part of the burst while it is still arriving.
    expect(Math.max(...batches.map((ids) => ids.length))).toBeLessThanOrEqual(100);
    expect(batches.flat()).toHaveLength(250);
    const burstRows = await models.WecomCallback.findAll({ where: { job_id: jobs.map((job) => Number(job.id)) }, raw: true });
    expect(new Set(batches.flat())).toEqual(new Set(burstRows.map((row) => Number(row.id))));
    await drain();
    expect(received).toHaveLength(250);
  });
  it('keeps an unknown event raw instead of dropping it', async () => {
    const xml = `<xml><ToUserName><![CDATA[${corp}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName><CreateTime>1700004000</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[brand_new_event]]></Event><Foo>bar</Foo></xml>`;
    expect((await post(xml)).status).toBe(200);
    await drain();
    expect(received).toEqual([expect.objectContaining({ kind: 'unknown' })]);
  });

  it('parks an event whose processing keeps failing as a dead letter, and replays it', async () => {
    failing = true;
    await post(externalContactXml(corp, { changeType: 'del_follow_user', userId: 'u9', externalUserId: 'wm9', createTime: 1700005000 }));
    const { models } = server.running.services;
    for (let attempt = 0; attempt < 10; attempt += 1) {
      await models.Job.update({ run_at: new Date(Date.now() - 1000) }, { where: { status: 'pending' } });
      await drain();
    }
    const dead = await server.api<{ data: { items: Array<{ id: number; lastError: string }> } }>('GET', '/api/wecom/callbacks?status=dead', { token: admin });
    expect(dead.body.data.items).toHaveLength(1);
    expect(dead.body.data.items[0]?.lastError).toContain('downstream is down');
    failing = false;
    expect((await server.api('POST', `/api/wecom/callbacks/${dead.body.data.items[0]?.id}/replay`, { token: admin })).status).toBe(200);
    await drain();
    expect(received).toHaveLength(1);
    const after = await server.api<{ data: { items: unknown[] } }>('GET', '/api/wecom/callbacks?status=dead', { token: admin });
    expect(after.body.data.items).toHaveLength(0);
  });

  describe('refuses bad input with a non-200 and stores nothing', () => {
    const valid = externalContactXml(corp, { changeType: 'add_external_contact', userId: 'x', externalUserId: 'wmX', createTime: 1700006000 });

    const expectRefused = async (send: () => Promise<{ status: number }>) => {
      const before = await stored();
      const reply = await send();
      expect(reply.status).toBeGreaterThanOrEqual(400);
      expect(await stored()).toBe(before);
    };

    it('a wrong signature', async () => {
      const request = sealedCallback(crypto, corp, valid);
      const forged = request.path.replace(/msg_signature=([0-9a-f])/, (_, c: string) => `msg_signature=${c === '0' ? '1' : '0'}`);
      await expectRefused(() => server.api('POST', forged, { rawBody: request.body, headers: { 'content-type': 'text/xml' } }));
    });

    it('a message sealed for another corp (receive id)', async () => {
      const other = cryptoFor({ ...wecomEnv, WECOM_CORP_ID: 'ww_other_corp' });
      const request = sealedCallback(other, corp, valid);
      await expectRefused(() => server.api('POST', request.path, { rawBody: request.body, headers: { 'content-type': 'text/xml' } }));
    });

    it('a message sealed with another EncodingAESKey', async () => {
      const other = cryptoFor({ ...testWecomEnv(corp), WECOM_CALLBACK_TOKEN: wecomEnv.WECOM_CALLBACK_TOKEN });
      const request = sealedCallback(other, corp, valid);
      await expectRefused(() => server.api('POST', request.path, { rawBody: request.body, headers: { 'content-type': 'text/xml' } }));
    });

    it('malformed, hostile or oversized XML', async () => {
      const request = sealedCallback(crypto, corp, valid);
      const post = (body: string) => server.api('POST', request.path, { rawBody: body, headers: { 'content-type': 'text/xml' } });
      await expectRefused(() => post('<xml><Encrypt>'));
      await expectRefused(() => post(`<!DOCTYPE xml [<!ENTITY a "${'x'.repeat(100)}">]>${request.body}`));
      await expectRefused(() => post(`<xml><Encrypt><![CDATA[${'A'.repeat(200 * 1024)}]]></Encrypt></xml>`));
      await expectRefused(() => post('not xml at all'));
      const dtdInside = sealedCallback(crypto, corp, `<!DOCTYPE xml [<!ENTITY lol "lol">]>${valid}`);
      await expectRefused(() => server.api('POST', dtdInside.path, { rawBody: dtdInside.body, headers: { 'content-type': 'text/xml' } }));
    });
  });
});
