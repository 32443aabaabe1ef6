import { createLogger } from '../../../core/logger';
import { createMassResultPoller } from './mass-message-results';
import { CUSTOMERS_PER_TASK, POLL_WINDOW_MS } from './mass-message-sender';
import { monthlyCap } from './monthly-limit';
import { PNG, startMassMessageKit, type Mass, type MassMessageKit } from './mass-message-test-kit';

describe('mass messages against the WeCom sandbox', () => {
  let t: MassMessageKit;
  let a: [string, string[]];
  let b: [string, string[]];
  const content = {
    text: '春季焕新，到店有礼',
    attachments: [
      { type: 'image', fileName: 'poster.png', dataBase64: PNG },
      { type: 'link', title: '活动详情', url: 'https://shop.example.com/spring' },
      { type: 'miniprogram', title: '预约到店', appid: 'wx8bd80126147dfaaa', page: '/pages/book/index', fileName: 'cover.png', dataBase64: PNG },
      { type: 'file', fileName: 'price-list.pdf', dataBase64: Buffer.from('%PDF-1.4 price list').toString('base64') },
    ],
  };
  const idOf = (externalUserid: string) => t.customerIdOf.get(externalUserid)!;
  const poller = (now?: () => Date) => {
    const { db, models, wecom } = t.server.running.services;
    return createMassResultPoller({ db, models, runtime: wecom.runtime, log: createLogger('silent'), now });
  };
  const confirm = async (body: Record<string, unknown>) => {
    const res = await fetch(`${t.kit.url}/__sandbox/events/group-msg-confirmed`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status).toBe(200);
  };
  const sendNow = async (body: Record<string, unknown>) => {
    const created = await t.api<Mass>('POST', '/api/engagement/mass-messages', body);
    expect(created.status).toBe(200);
    const sent = await t.api<Mass>('POST', `/api/engagement/mass-messages/${created.body.data.id}/send`);
    expect(sent.body.data.status).toBe('sending');
    await t.server.running.services.queue.drain();
    return created.body.data.id;
  };

  beforeAll(async () => {
    t = await startMassMessageKit(3);
    [a, b] = [...t.byEmployee.entries()] as [[string, string[]], [string, string[]]];
    const { models } = t.server.running.services;
    // b's third customer was lost; a's third already got this month's cap of group messages
    await models.Customer.update({ status: 'lost' }, { where: { id: idOf(b[1][2]!) } });
    const cap = monthlyCap(new Date());
    for (let i = 0; i < cap; i += 1) {
      const old = await models.MassMessage.create({ name: `往期 ${i}`, status: 'sent', audience: '{}', content: JSON.stringify({ text: '往期活动', attachments: [] }), scope: '{}' });
      await models.MassMessageRecipient.create({ mass_message_id: Number(old.get('id')), customer_id: idOf(a[1][2]!), status: 'sent', queued_at: new Date(), sent_at: new Date() });
    }
    // an offline customer (not a WeCom contact) with the tag has no owning employee to send
    const offline = await models.Customer.create({ name: '线下登记客户', store_id: null });
    await models.CustomerTag.create({ customer_id: Number(offline.get('id')), tag_id: t.tagId, wecom_userid: a[0], created_at: new Date() });
  }, 120_000);
  afterAll(() => t?.stop());

  it('sends a tag audience as one add_msg_template per owning employee with their customers and the attachments, skipping lost, capped and unowned customers', async () => {
    const audience = { type: 'tags', tagIds: [t.tagId] };
    const preview = await t.api<{ recipients: number; skipped: number; skippedByReason: Record<string, number>; senders: number }>('POST', '/api/engagement/mass-messages/preview', { audience });
    expect(preview.body.data).toEqual({ recipients: 4, skipped: 3, senders: 2, skippedByReason: { lost: 1, monthly_limit: 1, no_owner: 1 } });

    const before = t.templates().length;
    const id = await sendNow({ name: '春季活动', audience, content });
    const made = t.templates().slice(before);
    expect(made).toHaveLength(2);
    for (const [userid, ids] of [a, b]) {
      const template = made.find((m) => m.sender === userid);
      expect(template?.externalUserids.slice().sort()).toEqual(ids.slice(0, 2).sort());
      expect(template?.text).toEqual({ content: content.text });
      expect((template?.attachments as Array<{ msgtype: string }>).map((x) => x.msgtype)).toEqual(['image', 'link', 'miniprogram', 'file']);
      const [image, , mini, file] = template!.attachments as Array<Record<string, Record<string, string>>>;
      for (const mediaId of [image!.image!.media_id, mini!.miniprogram!.pic_media_id, file!.file!.media_id]) expect(t.kit.sandbox.state.media.live(mediaId!)).toBeTruthy();
    }

    const detail = await t.detail(id);
    expect(detail).toMatchObject({ status: 'sent', stats: { recipients: 7, byStatus: { not_sent: 4, skipped: 3 }, skippedByReason: { lost: 1, monthly_limit: 1, no_owner: 1 } }, preview: null });
    expect(detail.tasks.map((x) => [x.senderUserid, x.status, x.customerCount]).sort()).toEqual([[a[0], 'waiting', 2], [b[0], 'waiting', 2]].sort());
    const skipped = await t.recipients(id, '&status=skipped');
    expect(skipped.items.map((r) => [r.customerId, r.reason]).filter(([c]) => c === idOf(a[1][2]!) || c === idOf(b[1][2]!))).toEqual(
      expect.arrayContaining([[idOf(a[1][2]!), 'monthly_limit'], [idOf(b[1][2]!), 'lost']]),
    );
    const actions = (await t.server.running.services.models.AuditLog.findAll({ where: { target_type: 'mass_message', target_id: String(id) }, raw: true })).map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['engagement.mass_message_created', 'engagement.mass_message_send_requested', 'engagement.mass_message_dispatched']));
  });

  it('polls each employee\'s results until final: sent, not a friend, or already received another group message', async () => {
    const id = (await t.api<{ items: Array<{ id: number; name: string }> }>('GET', '/api/engagement/mass-messages')).body.data.items.find((m) => m.name === '春季活动')!.id;
    const msgidOf = (userid: string) => t.templates().filter((m) => m.sender === userid).at(-1)!.msgid;
    await confirm({ msgid: msgidOf(a[0]), userid: a[0], results: { [a[1][1]!]: 3 } });

    // the console's refresh reads WeCom now: a has sent, b has not confirmed yet
    const refreshed = (await t.api<Mass>('POST', `/api/engagement/mass-messages/${id}/refresh`)).body.data;
    expect(refreshed.tasks.find((x) => x.senderUserid === a[0])).toMatchObject({ status: 'sent', sent: 1, failed: 1 });
    expect(refreshed.tasks.find((x) => x.senderUserid === b[0])).toMatchObject({ status: 'waiting', sent: 0 });
    expect((await t.detail(id)) as unknown as { finishedAt: string | null }).toMatchObject({ finishedAt: null });

    t.kit.sandbox.state.customers.unfollow(b[1][1]!, b[0]);
    await confirm({ msgid: msgidOf(b[0]) });
    expect(await poller().poll()).toEqual({ polled: 1, finished: 1 });
    const statusOf = new Map((await t.recipients(id)).items.map((r) => [r.externalUserid, r.status]));
    expect([a[1][0], a[1][1], b[1][0], b[1][1]].map((x) => statusOf.get(x!))).toEqual(['sent', 'received_other', 'sent', 'not_friend']);
    const detail = (await t.detail(id)) as Mass & { finishedAt: string | null };
    expect(detail.tasks.every((x) => x.status === 'sent')).toBe(true);
    expect(detail.finishedAt).not.toBeNull();
    expect(await poller().poll()).toEqual({ polled: 0, finished: 0 });
  });

  it('records fail_list entries with their reason and gives up on an employee who never confirms once the window has passed', async () => {
    // a no longer has a[0] as a customer in WeCom, though our copy has not heard yet
    t.kit.sandbox.state.customers.unfollow(a[1][0]!, a[0]);
    const id = await sendNow({ name: '补发', audience: { type: 'customers', customerIds: [idOf(a[1][0]!), idOf(b[1][0]!)] }, content: { text: '补发通知', attachments: [] } });
    const recipients = (await t.recipients(id)).items;
    expect(recipients.find((r) => r.customerId === idOf(a[1][0]!))).toMatchObject({ status: 'failed', reason: 'wecom_refused' });
    expect(recipients.find((r) => r.customerId === idOf(b[1][0]!))).toMatchObject({ status: 'not_sent', reason: null });
    const detail = await t.detail(id);
    expect(detail.tasks.find((x) => x.senderUserid === a[0])).toMatchObject({ status: 'failed', failed: 1 });

    expect(await poller().poll()).toEqual({ polled: 1, finished: 0 });
    const later = new Date(Date.now() + POLL_WINDOW_MS + 60_000);
    await poller(() => later).poll();
    const final = (await t.detail(id)) as Mass & { finishedAt: string | null };
    expect(final.tasks.find((x) => x.senderUserid === b[0])).toMatchObject({ status: 'expired' });
    expect(final.finishedAt).toBe(later.toISOString());
    expect((await t.recipients(id, '&status=not_sent')).total).toBe(1);
  });
  it('splits an employee\'s audience into add_msg_template calls of at most 10,000 customers', async () => {
    const { models } = t.server.running.services;
    const count = CUSTOMERS_PER_TASK + 1;
    const externalIds = Array.from({ length: count }, (_, i) => `wm_bulk_${i}`);
    // as many WeCom contacts of a[0], in the sandbox and in our copy, with a tag of their own
    for (const externalUserid of externalIds) {
      t.kit.sandbox.state.customers.add({ externalUserid, name: externalUserid, type: 1, gender: 0, unionid: '', corpName: '', follows: [{ userid: a[0], remark: '', description: '', createtime: 1700000000, tagIds: [], remarkCorpName: '', remarkMobiles: [], operUserid: a[0], addWay: 1, state: '' }] });
    }
    await models.Customer.bulkCreate(externalIds.map((externalUserid) => ({ name: externalUserid, store_id: null, external_userid: externalUserid })));
    const ids = (await models.Customer.findAll({ where: { external_userid: externalIds }, attributes: ['id'], raw: true })).map((c) => Number(c.id));
    expect(ids).toHaveLength(count);
    await models.CustomerFollow.bulkCreate(ids.map((customerId) => ({ customer_id: customerId, wecom_userid: a[0], status: 'active' as const, added_at: new Date() })));
    const tag = await models.Tag.create({ group_id: Number((await models.Tag.findByPk(t.tagId, { raw: true }))!.group_id), wecom_tag_id: null, name: '大促', sort_order: 1 });
    await models.CustomerTag.bulkCreate(ids.map((customerId) => ({ customer_id: customerId, tag_id: Number(tag.get('id')), wecom_userid: a[0], created_at: new Date() })));

    const before = t.templates().length;
    const id = await sendNow({ name: '大促', audience: { type: 'tags', tagIds: [Number(tag.get('id'))] }, content: { text: '大促通知', attachments: [] } });
    expect(t.templates().slice(before).map((m) => [m.sender, m.externalUserids.length]).sort()).toEqual([[a[0], 1], [a[0], CUSTOMERS_PER_TASK]]);
    const detail = await t.detail(id);
    expect(detail.tasks.map((x) => [x.senderUserid, x.status, x.customerCount]).sort()).toEqual([[a[0], 'waiting', 1], [a[0], 'waiting', CUSTOMERS_PER_TASK]]);
    expect(detail.stats).toMatchObject({ recipients: count, byStatus: { not_sent: count } });
  }, 180_000);
});
