import { createCallbackCrypto } from '@scrm/wecom-adapter';
import { startTestServer, type TestServer } from '../../testing/test-server';
import { sealedCallback } from '../../testing/wecom-test-callbacks';
import { mirrorSandboxTags, SANDBOX_CORP, startSyncSandbox } from './customer-sync-test-kit';

type Kit = Awaited<ReturnType<typeof startSyncSandbox>>;

describe('customer changes from WeCom events', () => {
  let kit: Kit;
  let server: TestServer;
  let admin: string;
  let employee: string;
  let manager: string;
  let other: string;

  const control = async (path: string, body: unknown) => {
    const res = await fetch(`${kit.url}/__sandbox/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as Record<string, unknown>;
  };
  const settle = async () => {
    const { services } = server.running;
    for (let round = 0; round < 5; round += 1) {
      await kit.sandbox.drainCallbacks();
      await services.wecom.callbacks.dispatchPending();
      if ((await services.queue.drain()) === 0) break;
    }
  };
  const reconcile = async () => {
    await server.api('POST', '/api/wecom/sync/reconcile', { token: admin });
    await server.running.services.queue.drain();
    const runs = await server.api<{ data: { latest: Array<{ kind: string; report: Record<string, unknown> }> } }>('GET', '/api/wecom/sync/runs', { token: admin });
    return runs.body.data.latest.find((r) => r.kind === 'reconcile')?.report ?? {};
  };
  const received = async (userid: string) => ((await (await fetch(`${kit.url}/__sandbox/state/messages?userid=${userid}`)).json()) as { messages: Array<{ content: { content: string } }> }).messages;

  beforeAll(async () => {
    kit = await startSyncSandbox({ employees: 4, customers: 40, seed: 11 });
    server = await startTestServer({ env: { ...kit.env, JOB_WORKER_ENABLED: 'false' } });
    const { models } = server.running.services;
    await mirrorSandboxTags(models, kit.sandbox);
    // The store's employee and its manager are WeCom members.
    [employee, manager, other] = kit.sandbox.state.directory.activeEmployees().map((e) => e.userid) as [string, string, string];
    await models.User.update({ wecom_userid: employee }, { where: { username: 'staff_sh01' } });
    await models.User.update({ wecom_userid: manager }, { where: { username: 'manager_sh01' } });
    kit.pointCallbacksAt(server.baseUrl);
    admin = await server.login('admin');
    await server.api('POST', '/api/wecom/sync/customers', { token: admin });
    await server.running.services.queue.drain();
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    await kit?.sandbox.close();
  });

  it('alerts the employee and the store manager once when a customer deletes the employee, and lists the loss', async () => {
    const { models } = server.running.services;
    const customerId = kit.sandbox.state.customers.idsOf(employee)[0] as string;
    const name = kit.sandbox.state.customers.get(customerId)?.name as string;
    await control('events/customer-deleted-employee', { userId: employee, externalUserId: customerId });
    await settle();
    const customer = await models.Customer.findOne({ where: { external_userid: customerId }, raw: true });
    const follow = await models.CustomerFollow.findOne({ where: { customer_id: customer?.id, wecom_userid: employee }, raw: true });
    expect(follow).toMatchObject({ status: 'deleted_by_customer', lost_reason: 'deleted_by_customer' });
    expect(follow?.lost_at).not.toBeNull();
    expect(await models.CustomerTimeline.count({ where: { customer_id: customer?.id, kind: 'follow.removed_by_customer' } })).toBe(1);
    for (const userid of [employee, manager]) expect((await received(userid)).filter((m) => m.content.content.includes(name))).toHaveLength(1);
    expect((await received(other)).filter((m) => m.content.content.includes(name))).toHaveLength(0);

    const lost = await server.api<{ data: { items: Array<{ customerId: number; reason: string; alert: { status: string; recipients: string[] } }> } }>('GET', '/api/customers/lost?reason=deleted_by_customer', { token: admin });
    expect(lost.body.data.items.find((i) => i.customerId === Number(customer?.id))).toMatchObject({ reason: 'deleted_by_customer', alert: { status: 'sent', recipients: [employee, manager] } });
    // Replaying the same event (WeCom retries) neither alerts again nor changes anything.
    const delivery = kit.sandbox.control.pusher.deliveries.at(-1);
    const crypto = createCallbackCrypto({ token: kit.callback.token, encodingAesKey: kit.callback.encodingAesKey, receiveId: SANDBOX_CORP });
    const again = sealedCallback(crypto, SANDBOX_CORP, delivery?.xml ?? '');
    expect((await fetch(`${server.baseUrl}${again.path}`, { method: 'POST', body: again.body, headers: { 'content-type': 'text/xml' } })).status).toBe(200);
    await settle();
    for (const userid of [employee, manager]) expect((await received(userid)).filter((m) => m.content.content.includes(name))).toHaveLength(1);
  });

  it('lists lost customers only within the caller’s scope and validates filters', async () => {
    const bad = await server.api('GET', '/api/customers/lost?from=2024-02-01&to=2024-01-01', { token: admin });
    expect(bad.status).toBe(400);
    const staffToken = await server.login('staff_sh01');
    const mine = await server.api<{ data: { total: number; items: Array<{ storeId: number | null }> } }>('GET', '/api/customers/lost', { token: staffToken });
    expect(mine.status).toBe(200);
    const { models } = server.running.services;
    const staff = await models.User.findOne({ where: { username: 'staff_sh01' }, raw: true });
    const lostFollows = await models.CustomerFollow.findAll({ where: { status: ['deleted_by_customer', 'deleted_by_employee', 'transferred'] }, raw: true });
    const stores = new Map((await models.Customer.findAll({ where: { id: lostFollows.map((f) => f.customer_id) }, raw: true })).map((c) => [Number(c.id), c.store_id]));
    const inStore = lostFollows.filter((f) => Number(stores.get(Number(f.customer_id))) === Number(staff?.store_id)).length;
    expect(inStore).toBeGreaterThan(0);
    expect(mine.body.data.total).toBe(inStore);
    expect(mine.body.data.items.every((i) => i.storeId === Number(staff?.store_id))).toBe(true);
    // A store outside the caller's scope is simply empty for them.
    const elsewhere = await server.api<{ data: { total: number } }>('GET', `/api/customers/lost?storeId=${Number(staff?.store_id) + 1}`, { token: staffToken });
    expect(elsewhere.body.data.total).toBe(0);
  });

  it('leaves the store equal to WeCom after every change type, each delivered twice and out of order', async () => {
    const { models } = server.running.services;
    const tagIds = kit.sandbox.state.tags.liveTagIds();
    const seeded = kit.sandbox.state.customers.idsOf(other).slice(0, 3) as [string, string, string];
    // Hold the callbacks while things happen in WeCom, then deliver them in reverse, twice each.
    kit.sandbox.control.setCallback(undefined);
    const first = kit.sandbox.control.pusher.deliveries.length;
    const added = (await control('events/customer-added', { userId: employee })).externalUserId as string;
    const half = (await control('events/customer-added-half', { userId: other })).externalUserId as string;
    await control('events/customer-edited', { userId: employee, externalUserId: added, remark: '老客户', tagIds: [tagIds[0]] });
    await control('events/customer-edited', { userId: other, externalUserId: seeded[0], remark: '改了备注', tagIds: [tagIds[1], tagIds[2]] });
    await control('events/msg-audit-approved', { userId: employee, externalUserId: added });
    await control('events/customer-deleted-by-employee', { userId: other, externalUserId: seeded[1] });
    await control('events/customer-deleted-employee', { userId: other, externalUserId: seeded[2] });
    const client = await server.running.services.wecom.runtime.client();
    await client?.transfers.transferCustomer({ handover_userid: employee, takeover_userid: manager, external_userid: [added] });
    await control('events/transfers-settled', { status: 1 });
    const deliveries = kit.sandbox.control.pusher.deliveries.slice(first);
    expect(new Set(deliveries.map((d) => d.changeType))).toEqual(
      new Set(['add_external_contact', 'add_half_external_contact', 'edit_external_contact', 'msg_audit_approved', 'del_external_contact', 'del_follow_user']),
    );
    expect(deliveries.some((d) => d.xml.includes('DELETE_BY_TRANSFER'))).toBe(true);
    kit.pointCallbacksAt(server.baseUrl);
    const crypto = createCallbackCrypto({ token: kit.callback.token, encodingAesKey: kit.callback.encodingAesKey, receiveId: SANDBOX_CORP });
    for (const delivery of [...deliveries].reverse()) {
      for (let copy = 0; copy < 2; copy += 1) {
        const sealed = sealedCallback(crypto, SANDBOX_CORP, delivery.xml);
        expect((await fetch(`${server.baseUrl}${sealed.path}`, { method: 'POST', body: sealed.body, headers: { 'content-type': 'text/xml' } })).status).toBe(200);
      }
    }
    await settle();

    const followOf = async (ext: string, userid: string) => {
      const customer = await models.Customer.findOne({ where: { external_userid: ext }, raw: true });
      return customer ? models.CustomerFollow.findOne({ where: { customer_id: customer.id, wecom_userid: userid }, raw: true }) : null;
    };
    expect(await followOf(added, manager)).toMatchObject({ status: 'active', remark: '老客户' });
    expect(await followOf(half, other)).toMatchObject({ status: 'active' });
    expect(await followOf(seeded[0], other)).toMatchObject({ status: 'active', remark: '改了备注' });
    expect(await followOf(seeded[1], other)).toMatchObject({ status: 'deleted_by_employee', lost_reason: 'deleted_by_employee' });
    expect(await followOf(seeded[2], other)).toMatchObject({ status: 'deleted_by_customer' });
    const tagged = await models.Customer.findOne({ where: { external_userid: seeded[0] }, raw: true });
    expect(await models.CustomerTag.count({ where: { customer_id: tagged?.id, wecom_userid: other } })).toBe(2);
    // Nothing left for a reconciliation to repair.
    const report = await reconcile();
    expect(report).toMatchObject({ fixedTotal: 0 });
  });
});
