import { createEngagementModule } from '../engagement.module';
import { startMassMessageKit, type Mass, type MassMessageKit } from './mass-message-test-kit';

describe('mass messages: data scope, bad input, recipients added by automation and scheduled sends', () => {
  let t: MassMessageKit;
  let inStore: number[];
  let elsewhere: number[];
  let manager: string;
  let shanghai: number;
  let hangzhou: number;
  const audience = () => ({ type: 'tags', tagIds: [t.tagId] });
  const text = { text: '门店周年庆', attachments: [] };
  const count = () => t.server.running.services.models.MassMessage.count();

  beforeAll(async () => {
    t = await startMassMessageKit(3, 2);
    const { models } = t.server.running.services;
    shanghai = Number((await models.Store.findOne({ where: { code: 'SH01' }, raw: true }))!.id);
    hangzhou = Number((await models.Store.findOne({ where: { code: 'HZ01' }, raw: true }))!.id);
    const [[, first], [, second]] = [...t.byEmployee.entries()] as [[string, string[]], [string, string[]]];
    inStore = [t.customerIdOf.get(first[0]!)!, t.customerIdOf.get(second[0]!)!];
    elsewhere = [t.customerIdOf.get(first[1]!)!, t.customerIdOf.get(second[1]!)!];
    await models.Customer.update({ store_id: shanghai, store_locked: true }, { where: { id: inStore } });
    await models.Customer.update({ store_id: hangzhou, store_locked: true }, { where: { id: elsewhere } });
    const role = await t.api<{ id: number }>('POST', '/api/roles', { code: 'store_marketing', name: '门店运营', dataScope: 'store', permissions: ['org:read', 'customer:read', 'engagement:read', 'engagement:manage'] });
    const user = await t.api('POST', '/api/users', { username: 'marketing_sh01', displayName: '徐汇店运营', password: 'marketing-pass-1', roleId: role.body.data.id, storeId: shanghai });
    expect(user.status).toBe(200);
    manager = await t.server.login('marketing_sh01', 'marketing-pass-1');
  }, 120_000);
  afterAll(() => t?.stop());

  it("reaches only the customers in a store manager's own store, and hides other stores' messages", async () => {
    const preview = await t.api<{ recipients: number; skipped: number }>('POST', '/api/engagement/mass-messages/preview', { audience: audience() }, manager);
    expect(preview.body.data).toMatchObject({ recipients: 2, skipped: 0 });
    expect((await t.api<{ recipients: number }>('POST', '/api/engagement/mass-messages/preview', { audience: audience() })).body.data.recipients).toBe(4);

    const outside = await t.api('POST', '/api/engagement/mass-messages', { name: '越权', audience: { type: 'customers', customerIds: [inStore[0], elsewhere[0]] }, content: text }, manager);
    expect(outside.status).toBe(400);
    expect(JSON.stringify(outside.body)).toContain('body.audience.customerIds.1');
    const otherStore = await t.api('POST', '/api/engagement/mass-messages', { name: '越权', audience: { type: 'filter', filter: { storeId: hangzhou } }, content: text }, manager);
    expect(otherStore.status).toBe(403);

    const before = t.templates().length;
    const created = await t.api<Mass>('POST', '/api/engagement/mass-messages', { name: '徐汇店周年庆', audience: audience(), content: text }, manager);
    expect((await t.api('POST', `/api/engagement/mass-messages/${created.body.data.id}/send`, undefined, manager)).status).toBe(200);
    await t.server.running.services.queue.drain();
    const sentTo = t.templates().slice(before).flatMap((m) => m.externalUserids).sort();
    const expected = [...t.customerIdOf.entries()].filter(([, id]) => inStore.includes(id)).map(([ext]) => ext).sort();
    expect(sentTo).toEqual(expected);

    const hq = await t.api<Mass>('POST', '/api/engagement/mass-messages', { name: '总部通知', audience: audience(), content: text });
    expect((await t.api('GET', `/api/engagement/mass-messages/${hq.body.data.id}`, undefined, manager)).status).toBe(404);
    const mine = (await t.api<{ items: Array<{ id: number }> }>('GET', '/api/engagement/mass-messages', undefined, manager)).body.data.items.map((m) => m.id);
    expect(mine).toEqual([created.body.data.id]);
  });

  it('refuses bad input with a 4xx naming the field and changes nothing', async () => {
    const before = { messages: await count(), templates: t.templates().length };
    const noContent = await t.api('POST', '/api/engagement/mass-messages', { name: '空', audience: audience(), content: { attachments: [] } });
    expect(noContent.status).toBe(400);
    expect(JSON.stringify(noContent.body)).toContain('content');
    const badTag = await t.api('POST', '/api/engagement/mass-messages', { name: '标签', audience: { type: 'tags', tagIds: [999_999] }, content: text });
    expect(badTag.status).toBe(400);
    expect(JSON.stringify(badTag.body)).toContain('body.audience.tagIds.0');
    const past = await t.api('POST', '/api/engagement/mass-messages', { name: '过去', audience: audience(), content: text, scheduledAt: '2020-01-01T00:00:00Z' });
    expect(past.status).toBe(400);
    expect(JSON.stringify(past.body)).toContain('body.scheduledAt');
    const badLink = await t.api('POST', '/api/engagement/mass-messages', { name: '链接', audience: audience(), content: { attachments: [{ type: 'link', title: 'x', url: 'not a url' }] } });
    expect(badLink.status).toBe(400);
    expect(JSON.stringify(badLink.body)).toContain('url');
    const staff = await t.server.login('staff_sh01');
    expect((await t.api('POST', '/api/engagement/mass-messages', { name: '店员', audience: audience(), content: text }, staff)).status).toBe(403);
    expect({ messages: await count(), templates: t.templates().length }).toEqual(before);

    const draft = await t.api<Mass>('POST', '/api/engagement/mass-messages', { name: '取消', audience: audience(), content: text });
    expect((await t.api<Mass>('POST', `/api/engagement/mass-messages/${draft.body.data.id}/cancel`)).body.data.status).toBe('cancelled');
    const again = await t.api('POST', `/api/engagement/mass-messages/${draft.body.data.id}/send`);
    expect(again.status).toBe(409);
    expect(t.templates().length).toBe(before.templates);
  });

  it('lets automation add customers to a draft once each, and only to a draft', async () => {
    const { massMessages } = createEngagementModule(t.server.running.services);
    const draft = await t.api<Mass>('POST', '/api/engagement/mass-messages', { name: '自动化', audience: { type: 'customers', customerIds: [inStore[0]] }, content: text });
    const id = draft.body.data.id;
    expect(await massMessages.addRecipients(id, [inStore[0]!, inStore[1]!, inStore[1]!])).toEqual({ added: 1 });
    const { db } = t.server.running.services;
    expect(await db.transaction((tx) => massMessages.addRecipients(id, [inStore[1]!, elsewhere[0]!], { transaction: tx }))).toEqual({ added: 1 });
    expect(await massMessages.addRecipients(id, [inStore[0]!, inStore[1]!, elsewhere[0]!])).toEqual({ added: 0 });
    expect((await t.recipients(id)).total).toBe(3);
    expect((await t.detail(id)).preview).toMatchObject({ recipients: 3, skipped: 0 });

    await t.api('POST', `/api/engagement/mass-messages/${id}/cancel`);
    await expect(massMessages.addRecipients(id, [elsewhere[1]!])).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await t.recipients(id)).total).toBe(3);
  });

  it('sends a scheduled message when it is due, not before', async () => {
    const { massMessages } = createEngagementModule(t.server.running.services);
    const at = new Date(Date.now() + 3600_000);
    const created = await t.api<Mass>('POST', '/api/engagement/mass-messages', { name: '定时', audience: { type: 'customers', customerIds: [elsewhere[1]] }, content: text, scheduledAt: at.toISOString() });
    expect(created.body.data.status).toBe('draft');
    expect(await massMessages.dispatchDue(new Date(at.getTime() - 60_000))).toBe(0);
    const before = t.templates().length;
    expect(await massMessages.dispatchDue(new Date(at.getTime() + 60_000))).toBe(1);
    await t.server.running.services.queue.drain();
    expect((await t.detail(created.body.data.id)).status).toBe('sent');
    expect(t.templates().slice(before)).toHaveLength(1);
    expect(await massMessages.dispatchDue(new Date(at.getTime() + 120_000))).toBe(0);
  });
});
