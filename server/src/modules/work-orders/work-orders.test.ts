import crypto from 'node:crypto';
import { startTestServer, type TestServer } from '../../testing/test-server';
import { accept, createOrder, oneTaskFlow, orderOf, publishFlow, storeIdOf, upload, userIdOf } from './work-order-test-kit';

describe('work orders over HTTP', () => {
  let server: TestServer;
  let admin: string;
  let staff: string;
  let tech: string;
  let manager: string;
  let sh01: number;
  let hz01: number;
  let techId: number;

  beforeAll(async () => {
    server = await startTestServer({ env: { JOB_WORKER_ENABLED: 'false' } });
    admin = await server.login('admin');
    staff = await server.login('staff_sh01');
    tech = await server.login('tech_sh01');
    manager = await server.login('manager_sh01');
    sh01 = await storeIdOf(server, 'SH01');
    hz01 = await storeIdOf(server, 'HZ01');
    techId = await userIdOf(server, 'tech_sh01');
    await publishFlow(server, admin, 'wo_simple', oneTaskFlow({ assignee: { strategy: 'role', roleCode: 'technician' } }));
    await publishFlow(server, admin, 'wo_pool', oneTaskFlow({ assignee: { strategy: 'pool', roleCode: 'technician' } }));
    await publishFlow(
      server,
      admin,
      'wo_evidence',
      oneTaskFlow({
        assignee: { strategy: 'role', roleCode: 'technician' },
        form: { fields: [{ key: 'result', label: '结果', type: 'select', required: true, options: ['ok', 'fail'] }], minPhotos: 2, signature: true, checkInWithinMeters: 200, partsList: false },
      }),
    );
    await publishFlow(
      server,
      admin,
      'wo_timed',
      oneTaskFlow({
        assignee: { strategy: 'role', roleCode: 'technician' },
        timeLimit: { minutes: 120, calendar: 'default' },
        escalations: [
          { atPercent: 50, action: 'remind_assignee' },
          { atPercent: 100, action: 'notify_store_manager' },
        ],
      }),
    );
  });
  afterAll(() => server.stop());

  it('creates an order on the latest version, enters the first node and assigns it by role in the store', async () => {
    const order = await createOrder(server, staff, { flowCode: 'wo_simple', storeId: sh01, address: '上海市徐汇区漕溪北路 88 号', products: [{ name: '智能门锁', category: 'lock', quantity: 1 }] });
    expect(order).toMatchObject({ status: 'open', currentNodeKey: 'work', assigneeUserId: techId, storeId: sh01, lockVersion: 0 });
    const detail = await orderOf(server, staff, order.id);
    expect(detail.history.map((e) => e.type)).toEqual(['created', 'node_entered', 'assigned']);
  });

  it('draws a new order number when the drawn one is taken, and creates the order once', async () => {
    const first = await createOrder(server, staff, { flowCode: 'wo_simple', storeId: sh01 });
    const count = () => server.running.services.models.WorkOrder.count();
    const before = await count();
    // The next draw repeats the first order's number, then draws freely.
    const draw = jest.spyOn(crypto, 'randomInt').mockImplementationOnce(() => Number(first.orderNo.slice(-9)));
    try {
      const second = await createOrder(server, staff, { flowCode: 'wo_simple', storeId: sh01 });
      expect(draw).toHaveBeenCalledTimes(2);
      expect(second.orderNo).not.toBe(first.orderNo);
      expect(await count()).toBe(before + 1);
    } finally {
      draw.mockRestore();
    }
  });

  it('shows the full address to the technician the task is assigned to, masked to staff without customer:pii:read', async () => {
    const order = await createOrder(server, staff, { flowCode: 'wo_simple', storeId: sh01, address: '上海市徐汇区漕溪北路 88 号' });
    const asTech = await server.api<{ data: { address: string | null } }>('GET', `/api/work-orders/${order.id}`, { token: tech });
    expect(asTech.body.data.address).toBe('上海市徐汇区漕溪北路 88 号');
    const asStaff = await server.api<{ data: { address: string | null } }>('GET', `/api/work-orders/${order.id}`, { token: staff });
    expect(asStaff.body.data.address).not.toBe('上海市徐汇区漕溪北路 88 号');
    expect(asStaff.body.data.address).toContain('*');
  });

  it('completes a node and closes the order at the end node; the history records each step', async () => {
    const order = await createOrder(server, staff, { flowCode: 'wo_simple', storeId: sh01 });
    const lockVersion = await accept(server, tech, order);
    const done = await server.api<{ data: { status: string; lockVersion: number } }>('POST', `/api/work-orders/${order.id}/complete`, { token: tech, body: { lockVersion, form: {} } });
    expect(done.status).toBe(200);
    expect(done.body.data).toMatchObject({ status: 'done', lockVersion: 2 });
    const detail = await orderOf(server, tech, order.id);
    expect(detail.history.map((e) => e.type)).toEqual(['created', 'node_entered', 'assigned', 'accepted', 'completed', 'transitioned', 'node_entered']);
  });

  it('refuses a stale transition with 409 and changes nothing', async () => {
    const order = await createOrder(server, staff, { flowCode: 'wo_simple', storeId: sh01 });
    const first = await server.api('POST', `/api/work-orders/${order.id}/pause`, { token: tech, body: { lockVersion: 0, status: 'waiting_customer' } });
    expect(first.status).toBe(200);
    await server.api('POST', `/api/work-orders/${order.id}/resume`, { token: tech, body: { lockVersion: 1 } });
    const stale = await server.api('POST', `/api/work-orders/${order.id}/complete`, { token: tech, body: { lockVersion: 0, form: {} } });
    expect(stale.status).toBe(409);
    expect(stale.body.details).toEqual({ currentLockVersion: 2 });
    expect((await orderOf(server, tech, order.id)).status).toBe('open');
  });

  it('applies a retried completion (same Idempotency-Key) once and replays the first answer', async () => {
    const order = await createOrder(server, staff, { flowCode: 'wo_simple', storeId: sh01 });
    const lockVersion = await accept(server, tech, order);
    const send = () => server.api<{ data: unknown }>('POST', `/api/work-orders/${order.id}/complete`, { token: tech, body: { lockVersion, form: {} }, headers: { 'Idempotency-Key': `complete-${order.id}-abc` } });
    const replies = await Promise.all([send(), send()]);
    const again = await send();
    expect([...replies, again].map((r) => r.status)).toEqual([200, 200, 200]);
    expect(again.body.data).toEqual(replies[0]?.body.data);
    const detail = await orderOf(server, tech, order.id);
    expect(detail.history.filter((e) => e.type === 'completed')).toHaveLength(1);
    expect(detail.status).toBe('done');
  });

  it('refuses completion without the required photos, signature and an in-range GPS check-in, then accepts it', async () => {
    const order = await createOrder(server, staff, { flowCode: 'wo_evidence', storeId: sh01, lat: 31.1880, lng: 121.4370 });
    const lockVersion = await accept(server, tech, order);
    const complete = () => server.api('POST', `/api/work-orders/${order.id}/complete`, { token: tech, body: { lockVersion, form: { result: 'ok' } } });
    const bare = await complete();
    expect(bare.status).toBe(400);
    expect((bare.body.details as Array<{ path: string }>).map((d) => d.path).sort()).toEqual(['checkIn', 'photos', 'signature']);

    expect((await upload(server, tech, order.id, 'photo')).status).toBe(200);
    // A retried upload with the same key is stored once.
    const retried = await Promise.all([1, 2].map(() => upload(server, tech, order.id, 'photo', { 'Idempotency-Key': `photo-${order.id}-0001` })));
    expect(retried.map((r) => r.status)).toEqual([200, 200]);
    expect(retried[0]?.body.data?.id).toBe(retried[1]?.body.data?.id);
    const far = await server.api<{ data: { distanceM: number } }>('POST', `/api/work-orders/${order.id}/check-in`, { token: tech, body: { lat: 31.2000, lng: 121.4370 } });
    expect(far.body.data.distanceM).toBeGreaterThan(1000);
    const noSignature = await complete();
    expect(noSignature.status).toBe(400);
    expect((noSignature.body.details as Array<{ path: string; message: string }>).map((d) => d.path).sort()).toEqual(['checkIn', 'signature']);

    expect((await upload(server, tech, order.id, 'signature')).status).toBe(200);
    await server.api('POST', `/api/work-orders/${order.id}/check-in`, { token: tech, body: { lat: 31.1885, lng: 121.4372 } });
    const badForm = await server.api('POST', `/api/work-orders/${order.id}/complete`, { token: tech, body: { lockVersion, form: { result: 'maybe' } } });
    expect(badForm.status).toBe(400);
    expect(badForm.body.details).toEqual([expect.objectContaining({ path: 'body.form.result' })]);
    const accepted = await complete();
    expect(accepted.status).toBe(200);
    const detail = (await orderOf(server, tech, order.id)) as unknown as { status: string; attachments: unknown[] };
    expect(detail.status).toBe('done');
    expect(detail.attachments).toHaveLength(3);
  });

  it('makes the assignee accept an assigned task before check-in and completion; the accept is recorded, audited and applied once', async () => {
    const { models } = server.running.services;
    const order = await createOrder(server, staff, { flowCode: 'wo_simple', storeId: sh01, lat: 31.188, lng: 121.437 });
    expect(order).toMatchObject({ assigneeUserId: techId, acceptedAt: null });
    const early = await server.api('POST', `/api/work-orders/${order.id}/complete`, { token: tech, body: { lockVersion: 0, form: {} } });
    expect(early.status).toBe(409);
    expect(early.body.message).toMatch(/accept this task first/);
    expect((await server.api('POST', `/api/work-orders/${order.id}/check-in`, { token: tech, body: { lat: 31.188, lng: 121.437 } })).status).toBe(409);
    expect((await server.api('POST', `/api/work-orders/${order.id}/accept`, { token: staff, body: { lockVersion: 0 } })).status).toBe(403);
    expect((await server.api('POST', `/api/work-orders/${order.id}/accept`, { token: tech, body: { lockVersion: 5 } })).status).toBe(409);

    const key = { 'Idempotency-Key': `accept-${order.id}-0001` };
    const replies = await Promise.all([1, 2].map(() => server.api<{ data: { lockVersion: number; acceptedAt: string } }>('POST', `/api/work-orders/${order.id}/accept`, { token: tech, body: { lockVersion: 0 }, headers: key })));
    expect(replies.map((r) => r.status)).toEqual([200, 200]);
    expect(replies[0]?.body.data).toEqual(replies[1]?.body.data);
    expect((await server.api('POST', `/api/work-orders/${order.id}/accept`, { token: tech, body: { lockVersion: 1 } })).body.message).toBe('the task is already accepted');
    const accepted = await orderOf(server, tech, order.id);
    expect(accepted.history.filter((e) => e.type === 'accepted')).toHaveLength(1);
    expect(await models.AuditLog.count({ where: { action: 'work_order.accepted', target_id: String(order.id) } })).toBe(1);
    expect((await server.api('POST', `/api/work-orders/${order.id}/check-in`, { token: tech, body: { lat: 31.188, lng: 121.437 } })).status).toBe(200);

    // A dispatcher handing the task over (again) makes it wait for acceptance anew.
    const reassigned = await server.api<{ data: { lockVersion: number } }>('POST', `/api/work-orders/${order.id}/assign`, { token: admin, body: { lockVersion: 1, userId: techId } });
    expect(reassigned.status).toBe(200);
    expect(await orderOf(server, tech, order.id)).toMatchObject({ acceptedAt: null });
    expect((await server.api('POST', `/api/work-orders/${order.id}/complete`, { token: tech, body: { lockVersion: 2, form: {} } })).status).toBe(409);
    const lockVersion = await accept(server, tech, { id: order.id, lockVersion: 2 });
    expect((await server.api('POST', `/api/work-orders/${order.id}/complete`, { token: tech, body: { lockVersion, form: {} } })).status).toBe(200);
  });

  it('counts a claim as accepting: a claimed pool task is completed without a separate accept', async () => {
    const order = await createOrder(server, staff, { flowCode: 'wo_pool', storeId: sh01 });
    const claimed = await server.api<{ data: { lockVersion: number } }>('POST', `/api/work-orders/${order.id}/claim`, { token: tech });
    expect(claimed.status).toBe(200);
    expect(await orderOf(server, tech, order.id)).toMatchObject({ acceptedAt: expect.any(String) });
    expect((await server.api('POST', `/api/work-orders/${order.id}/complete`, { token: tech, body: { lockVersion: claimed.body.data.lockVersion, form: {} } })).status).toBe(200);
  });

  it('lets exactly one of 50 simultaneous claims take a pool task; the rest get 409 "already taken"', async () => {
    const order = await createOrder(server, staff, { flowCode: 'wo_pool', storeId: sh01 });
    expect(order).toMatchObject({ assigneeUserId: null, poolRoleCode: 'technician' });
    const claimable = await server.api<{ data: { items: Array<{ id: number }> } }>('GET', '/api/work-orders?claimable=true', { token: tech });
    expect(claimable.body.data.items.map((o) => o.id)).toContain(order.id);
    const tokens = [tech, manager, admin];
    const replies = await Promise.all(Array.from({ length: 50 }, (_, i) => server.api('POST', `/api/work-orders/${order.id}/claim`, { token: tokens[i % tokens.length] })));
    expect(replies.filter((r) => r.status === 200)).toHaveLength(1);
    const refused = replies.filter((r) => r.status === 409);
    expect(refused).toHaveLength(49);
    expect(refused.every((r) => r.body.message === 'already taken')).toBe(true);
    const detail = await orderOf(server, admin, order.id);
    expect(detail.history.filter((e) => e.type === 'claimed')).toHaveLength(1);
    expect(detail.assigneeUserId).not.toBeNull();
  });

  it("answers 404 for another store's order, exactly as for a missing one", async () => {
    const other = await createOrder(server, admin, { flowCode: 'wo_simple', storeId: hz01 });
    for (const token of [staff, tech, manager]) {
      expect((await server.api('GET', `/api/work-orders/${other.id}`, { token })).status).toBe(404);
      expect((await server.api('POST', `/api/work-orders/${other.id}/complete`, { token, body: { lockVersion: 0, form: {} } })).status).toBe(404);
    }
    const list = await server.api<{ data: { items: Array<{ storeId: number }> } }>('GET', '/api/work-orders', { token: staff });
    expect(list.body.data.items.every((o) => o.storeId === sh01)).toBe(true);
    const refused = await server.api('POST', '/api/work-orders', { token: staff, body: { flowCode: 'wo_simple', storeId: hz01 } });
    expect(refused.status).toBe(403);
  });

  it('fires each escalation once, records it on the order and queues a WeCom notice', async () => {
    const { timers, models } = server.running.services;
    const order = await createOrder(server, staff, { flowCode: 'wo_timed', storeId: sh01 });
    expect(order.nodeDueAt).not.toBeNull();
    const later = new Date(Date.now() + 30 * 24 * 3600_000);
    await timers.scanDue({ now: later });
    await timers.scanDue({ now: later });
    const detail = await orderOf(server, staff, order.id);
    expect(detail.history.filter((e) => e.type === 'reminded')).toHaveLength(1);
    expect(detail.history.filter((e) => e.type === 'escalated')).toHaveLength(1);
    const notices = await models.Job.findAll({ where: { type: 'work_order.notify' }, raw: true });
    expect(notices.some((job) => (JSON.parse(job.payload) as { orderId: number; title: string }).orderId === order.id && (JSON.parse(job.payload) as { title: string }).title.includes('超时'))).toBe(true);
    expect(await models.AuditLog.count({ where: { action: 'work_order.reminded', target_id: String(order.id) } })).toBe(1);
  });

  it('stops the clock while waiting for the customer: paused timers do not fire and the due time moves by the pause', async () => {
    const { timers } = server.running.services;
    const order = await createOrder(server, staff, { flowCode: 'wo_timed', storeId: sh01 });
    const paused = await server.api('POST', `/api/work-orders/${order.id}/pause`, { token: tech, body: { lockVersion: 0, status: 'waiting_customer' } });
    expect(paused.status).toBe(200);
    const overdueWhilePaused = await server.api<{ data: { items: Array<{ id: number }> } }>('GET', `/api/work-orders?overdue=true&storeId=${sh01}`, { token: staff });
    expect(overdueWhilePaused.body.data.items.map((o) => o.id)).not.toContain(order.id);
    await timers.scanDue({ now: new Date(Date.now() + 30 * 24 * 3600_000) });
    expect((await orderOf(server, staff, order.id)).history.filter((e) => e.type === 'reminded')).toHaveLength(0);
    const resumed = await server.api<{ data: { nodeDueAt: string } }>('POST', `/api/work-orders/${order.id}/resume`, { token: tech, body: { lockVersion: 1 } });
    expect(resumed.status).toBe(200);
    const detail = await orderOf(server, staff, order.id);
    const pausedMs = Number(detail.history.find((e) => e.type === 'resumed')?.payload?.pausedMs);
    // Business time given back is never more than the time spent paused (exact values: work-order-pause.test.ts).
    const shift = new Date(resumed.body.data.nodeDueAt).getTime() - new Date(order.nodeDueAt ?? 0).getTime();
    expect(shift).toBeGreaterThanOrEqual(0);
    expect(shift).toBeLessThanOrEqual(pausedMs);
    const [timer] = (await timers.forSubject({ subjectType: 'work_order', subjectId: order.id })).filter((t) => t.status === 'pending');
    expect(timer).toBeDefined();
    await timers.scanDue({ now: new Date(Date.now() + 30 * 24 * 3600_000) });
    expect((await orderOf(server, staff, order.id)).history.filter((e) => e.type === 'reminded')).toHaveLength(1);
  });
});
