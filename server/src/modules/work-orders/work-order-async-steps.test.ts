import { z } from 'zod';
import { startTestServer, type TestServer } from '../../testing/test-server';
import { defineAsyncAutomaticStep } from '../workflows/automatic-steps';
import { STEP_RUN_JOB } from './work-order-step-runs';
import { createOrder, orderOf, publishFlow, storeIdOf, userIdOf } from './work-order-test-kit';

/** A step the test steers: how many attempts fail before one succeeds, and what it saw. */
function steeredStep(name: string, options: { maxAttempts?: number; timeoutMs?: number } = {}) {
  const state = { failuresLeft: 0, hang: false, calls: [] as Array<{ orderId: number; key: string; attempt: number }>, undone: [] as Array<{ key: string; result: unknown }> };
  const step = defineAsyncAutomaticStep({
    name,
    title: { 'zh-CN': name, 'en-US': name },
    mode: 'async',
    settings: z.object({ warehouse: z.string() }),
    ...options,
    async run({ order, settings, idempotencyKey, attempt }) {
      state.calls.push({ orderId: order.id, key: idempotencyKey, attempt });
      if (state.hang) return new Promise<never>(() => undefined);
      if (state.failuresLeft > 0) {
        state.failuresLeft -= 1;
        throw new Error('ERP unreachable');
      }
      return { reservationId: `R-${idempotencyKey}`, warehouse: settings.warehouse };
    },
    async compensate({ idempotencyKey, result }) {
      state.undone.push({ key: idempotencyKey, result });
    },
  });
  return { step, state };
}

const auto = (key: string, step: string, to: string, extra: Record<string, unknown> = {}) => ({ key, name: `自动-${key}`, type: 'auto', automation: { step, settings: { warehouse: 'WH-SH' }, ...extra }, escalations: [], edges: [{ to, priority: 0, isDefault: true }] });
const task = (key: string, to: string) => ({ key, name: `任务-${key}`, type: 'task', assignee: { strategy: 'store_manager' }, escalations: [], edges: [{ to, priority: 0, isDefault: true }] });
const end = { key: 'done', name: '完成', type: 'end', escalations: [], edges: [] };

type Automation = { id: number; status: string; attempts: number; maxAttempts: number; lastError: string | null } | null;

describe('asynchronous automatic nodes', () => {
  let server: TestServer;
  let admin: string;
  let tech: string;
  let sh01: number;
  const reserve = steeredStep('test.reserve', { maxAttempts: 2 });
  const later = steeredStep('test.later', { maxAttempts: 1 });
  const slow = steeredStep('test.slow', { maxAttempts: 1, timeoutMs: 50 });

  beforeAll(async () => {
    server = await startTestServer({ env: { JOB_WORKER_ENABLED: 'false' } });
    for (const { step } of [reserve, later, slow]) server.running.services.flows.registerAutomaticStep(step);
    admin = await server.login('admin');
    tech = await server.login('tech_sh01');
    sh01 = await storeIdOf(server, 'SH01');
    await publishFlow(server, admin, 'wo_async', { start: 'reserve', nodes: [auto('reserve', 'test.reserve', 'work'), task('work', 'done'), end] } as never);
    await publishFlow(server, admin, 'wo_async_undo', { start: 'reserve', nodes: [auto('reserve', 'test.reserve', 'ship'), auto('ship', 'test.later', 'done', { compensatePrevious: true }), end] } as never);
    await publishFlow(server, admin, 'wo_async_slow', { start: 'slow', nodes: [auto('slow', 'test.slow', 'done'), end] } as never);
  });
  afterAll(() => server.stop());
  beforeEach(() => {
    for (const s of [reserve, later, slow]) Object.assign(s.state, { failuresLeft: 0, hang: false, calls: [], undone: [] });
  });

  const drain = () => server.running.services.queue.drain();
  /** Brings every waiting retry forward to now (the backoff itself is what the first test checks). */
  const retriesDue = () => server.running.services.models.Job.update({ run_at: new Date(Date.now() - 1000) }, { where: { type: STEP_RUN_JOB, status: 'pending' } });
  const detailOf = (id: number) => orderOf(server, admin, id) as Promise<Awaited<ReturnType<typeof orderOf>> & { automation: Automation }>;
  const types = (history: Array<{ type: string }>) => history.map((e) => e.type);

  it('keeps the order at the node (automatic, pending) until the job runs the step, then moves it on with the result in the history', async () => {
    const created = await createOrder(server, admin, { flowCode: 'wo_async', storeId: sh01 });
    expect(created).toMatchObject({ currentNodeKey: 'reserve', status: 'open', assigneeUserId: null });
    const waiting = await detailOf(created.id);
    expect(waiting.automation).toMatchObject({ status: 'pending', attempts: 0, maxAttempts: 2 });
    expect(types(waiting.history)).toContain('auto_started');
    expect(reserve.state.calls).toHaveLength(0);

    await drain();
    const moved = await detailOf(created.id);
    expect(moved).toMatchObject({ currentNodeKey: 'work', status: 'open', assigneeUserId: await userIdOf(server, 'manager_sh01'), automation: null });
    const completed = moved.history.find((e) => e.type === 'completed' && e.nodeKey === 'reserve');
    expect(completed?.payload).toMatchObject({ automatic: 'test.reserve', result: { reservationId: `R-wo-${created.id}-reserve-1`, warehouse: 'WH-SH' } });
    expect(reserve.state.calls).toEqual([{ orderId: created.id, key: `wo-${created.id}-reserve-1`, attempt: 1 }]);
    // A second delivery of the same job finds the run finished and does nothing.
    await server.running.services.queue.enqueue(STEP_RUN_JOB, { runId: (waiting.automation as NonNullable<Automation>).id });
    await drain();
    expect(reserve.state.calls).toHaveLength(1);
  });

  it('retries a failing step later with the same idempotency key, then parks the node as failed and tells the store manager', async () => {
    reserve.state.failuresLeft = 5;
    const created = await createOrder(server, admin, { flowCode: 'wo_async', storeId: sh01 });
    await drain();
    const retrying = await detailOf(created.id);
    expect(retrying.automation).toMatchObject({ status: 'pending', attempts: 1, lastError: 'ERP unreachable' });
    const next = await server.running.services.models.Job.findOne({ where: { type: STEP_RUN_JOB, status: 'pending' }, raw: true });
    expect(new Date(String(next?.run_at)).getTime()).toBeGreaterThan(Date.now() + 3000);
    await drain();
    expect(reserve.state.calls).toHaveLength(1);

    await retriesDue();
    await drain();
    const failed = await detailOf(created.id);
    expect(failed).toMatchObject({ currentNodeKey: 'reserve', status: 'open', automation: { status: 'failed', attempts: 2 } });
    expect(new Set(reserve.state.calls.map((c) => c.key))).toEqual(new Set([`wo-${created.id}-reserve-1`]));
    expect(failed.history.find((e) => e.type === 'auto_failed')?.payload).toMatchObject({ step: 'test.reserve', attempts: 2, error: 'ERP unreachable', notified: [await userIdOf(server, 'manager_sh01')] });
    const notices = await server.running.services.models.Job.findAll({ where: { type: 'work_order.notify' }, raw: true });
    expect(notices.map((n) => JSON.parse(n.payload) as { orderId: number; title: string }).filter((n) => n.orderId === created.id && n.title.startsWith('自动处理失败'))).toHaveLength(1);
    const audit = await server.running.services.models.AuditLog.findAll({ where: { action: 'work_order.auto_step_failed', target_id: String(created.id) }, raw: true });
    expect(audit).toHaveLength(1);
  });

  it('lets an admin retry a failed step (the order moves on when it succeeds) but not a technician, and refuses a stale lock version', async () => {
    reserve.state.failuresLeft = 2;
    const created = await createOrder(server, admin, { flowCode: 'wo_async', storeId: sh01 });
    await drain();
    await retriesDue();
    await drain();
    const failed = await detailOf(created.id);
    expect(failed.automation?.status).toBe('failed');

    expect((await server.api('POST', `/api/work-orders/${created.id}/automation/retry`, { token: tech, body: { lockVersion: failed.lockVersion } })).status).toBe(403);
    expect((await server.api('POST', `/api/work-orders/${created.id}/automation/retry`, { token: admin, body: { lockVersion: failed.lockVersion + 1 } })).status).toBe(409);
    const retried = await server.api<{ data: { lockVersion: number } }>('POST', `/api/work-orders/${created.id}/automation/retry`, { token: admin, body: { lockVersion: failed.lockVersion } });
    expect(retried.status).toBe(200);
    expect((await detailOf(created.id)).automation).toMatchObject({ status: 'pending', attempts: 0 });
    // Nothing failed any more: a second retry is refused.
    expect((await server.api('POST', `/api/work-orders/${created.id}/automation/retry`, { token: admin, body: { lockVersion: retried.body.data.lockVersion } })).status).toBe(409);

    await drain();
    const moved = await detailOf(created.id);
    expect(moved.currentNodeKey).toBe('work');
    expect(types(moved.history)).toEqual(expect.arrayContaining(['auto_failed', 'auto_retried', 'completed']));
  });

  it('skips a failed step with a reason: the order moves on along the edges and nothing is undone', async () => {
    reserve.state.failuresLeft = 9;
    const created = await createOrder(server, admin, { flowCode: 'wo_async', storeId: sh01 });
    await drain();
    await retriesDue();
    await drain();
    const failed = await detailOf(created.id);
    const noReason = await server.api<{ details: Array<{ path: string }> }>('POST', `/api/work-orders/${created.id}/automation/skip`, { token: admin, body: { lockVersion: failed.lockVersion } });
    expect(noReason.status).toBe(400);
    expect(noReason.body.details.map((d) => d.path)).toContain('body.reason');

    const skipped = await server.api<{ data: { currentNodeKey: string } }>('POST', `/api/work-orders/${created.id}/automation/skip`, { token: admin, body: { lockVersion: failed.lockVersion, reason: '配件已由门店自备' } });
    expect(skipped.status).toBe(200);
    expect(skipped.body.data.currentNodeKey).toBe('work');
    const moved = await detailOf(created.id);
    expect(moved.history.find((e) => e.type === 'auto_skipped')?.payload).toMatchObject({ reason: '配件已由门店自备' });
    expect(moved.history.find((e) => e.type === 'completed' && e.nodeKey === 'reserve')?.payload).toMatchObject({ skipped: true });
  });

  it('undoes a finished step once when the order is cancelled, and records it in the history', async () => {
    const created = await createOrder(server, admin, { flowCode: 'wo_async', storeId: sh01 });
    await drain();
    const atWork = await detailOf(created.id);
    const cancelled = await server.api('POST', `/api/work-orders/${created.id}/cancel`, { token: admin, body: { lockVersion: atWork.lockVersion, reason: '客户取消' } });
    expect(cancelled.status).toBe(200);
    await drain();
    await drain();
    expect(reserve.state.undone).toEqual([{ key: `wo-${created.id}-reserve-1`, result: { reservationId: `R-wo-${created.id}-reserve-1`, warehouse: 'WH-SH' } }]);
    const after = await detailOf(created.id);
    expect(after.history.filter((e) => e.type === 'compensated')).toEqual([expect.objectContaining({ nodeKey: 'reserve', payload: expect.objectContaining({ step: 'test.reserve' }) })]);
  });

  it('cancelling an order that still waits for its step stops the step: it never runs', async () => {
    const created = await createOrder(server, admin, { flowCode: 'wo_async', storeId: sh01 });
    const cancelled = await server.api('POST', `/api/work-orders/${created.id}/cancel`, { token: admin, body: { lockVersion: created.lockVersion, reason: '下错单' } });
    expect(cancelled.status).toBe(200);
    await drain();
    expect(reserve.state.calls).toHaveLength(0);
    expect(reserve.state.undone).toHaveLength(0);
  });

  it('when a later step fails for good and its node says so, the earlier finished step is undone', async () => {
    later.state.failuresLeft = 1;
    const created = await createOrder(server, admin, { flowCode: 'wo_async_undo', storeId: sh01 });
    await drain();
    await drain();
    const failed = await detailOf(created.id);
    expect(failed).toMatchObject({ currentNodeKey: 'ship', automation: { status: 'failed' } });
    expect(reserve.state.undone).toEqual([expect.objectContaining({ key: `wo-${created.id}-reserve-1` })]);
    expect(failed.history.filter((e) => e.type === 'compensated').map((e) => e.nodeKey)).toEqual(['reserve']);
  });

  it('counts a step that never answers as a failed attempt (time limit)', async () => {
    slow.state.hang = true;
    const created = await createOrder(server, admin, { flowCode: 'wo_async_slow', storeId: sh01 });
    await drain();
    const failed = await detailOf(created.id);
    expect(failed.automation).toMatchObject({ status: 'failed', lastError: 'no answer within 50 ms' });
  });

  it('refuses to pause an order while its automatic step runs', async () => {
    const created = await createOrder(server, admin, { flowCode: 'wo_async', storeId: sh01 });
    const paused = await server.api('POST', `/api/work-orders/${created.id}/pause`, { token: admin, body: { lockVersion: created.lockVersion, status: 'waiting_parts' } });
    expect(paused.status).toBe(409);
    await drain();
  });
});
