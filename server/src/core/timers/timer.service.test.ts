import type { Services } from '../../app';
import { createTestDatabase } from '../../testing/test-database';
import { startTestServer, type TestServer } from '../../testing/test-server';
import { waitUntil } from '../../testing/wait-until';
import type { DueTimer } from './timer.service';

const minutes = (n: number) => n * 60_000;
const later = (ms: number) => new Date(Date.now() + ms);

describe('durable timers on one instance', () => {
  let server: TestServer;
  let services: Services;
  const fired: DueTimer[] = [];
  let failuresLeft = 0;

  beforeAll(async () => {
    server = await startTestServer();
    services = server.running.services;
    services.timers.on('test.remind', async (timer) => {
      fired.push(timer);
    });
    // Writes in the firing transaction, and fails while `failuresLeft` says so.
    services.timers.on('test.flaky', async (timer, { tx }) => {
      await services.audit.record({ action: 'timer.test_fired', targetType: 'timer_test', targetId: timer.subjectId, actor: { id: null, name: 'system' } }, tx);
      if (failuresLeft > 0) {
        failuresLeft -= 1;
        throw new Error('the handler broke');
      }
    });
  }, 60_000);
  afterAll(() => server?.stop());
  beforeEach(() => {
    fired.length = 0;
  });

  const rowOf = async (id: number) => (await services.models.Timer.findByPk(id, { raw: true }))!;

  it('fires a due timer once, records who fired it, and leaves timers not yet due alone', async () => {
    const due = await services.timers.schedule({ kind: 'test.remind', subjectType: 'test', subjectId: 1, dueAt: later(-1000), payload: { percent: 80 } });
    const notYet = await services.timers.schedule({ kind: 'test.remind', subjectType: 'test', subjectId: 1, dueAt: later(minutes(60)) });
    expect(await services.timers.scanDue()).toBe(1);
    expect(await services.timers.scanDue()).toBe(0);
    expect(fired).toEqual([expect.objectContaining({ id: due, kind: 'test.remind', subjectType: 'test', subjectId: '1', payload: { percent: 80 }, attempt: 1 })]);
    expect(await rowOf(due)).toMatchObject({ status: 'fired', fired_by: services.instanceId, attempts: 1 });
    expect((await rowOf(due)).fired_at).not.toBeNull();
    expect(await rowOf(notYet)).toMatchObject({ status: 'pending', fired_at: null });
  });

  it('returns the existing timer for a repeated dedupe key', async () => {
    const input = { kind: 'test.remind', subjectType: 'test', subjectId: 2, dueAt: later(minutes(10)), dedupeKey: 'test:2:remind-80' };
    const first = await services.timers.schedule(input);
    expect(await services.timers.schedule({ ...input, dueAt: later(minutes(20)) })).toBe(first);
    expect(await services.models.Timer.count({ where: { dedupe_key: 'test:2:remind-80' } })).toBe(1);
  });

  it('fires each timer once when scans overlap', async () => {
    const ids = await Promise.all(Array.from({ length: 30 }, (_, i) => services.timers.schedule({ kind: 'test.remind', subjectType: 'test-overlap', subjectId: i, dueAt: later(-i) })));
    const counts = await Promise.all([services.timers.scanDue(), services.timers.scanDue(), services.timers.scanDue()]);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(30);
    expect(fired.map((t) => t.id).sort((a, b) => a - b)).toEqual(ids.sort((a, b) => a - b));
  });

  it('cancels a subject’s timers of one kind or of every kind', async () => {
    const remind = await services.timers.schedule({ kind: 'test.remind', subjectType: 'test', subjectId: 3, dueAt: later(-1000) });
    const flaky = await services.timers.schedule({ kind: 'test.flaky', subjectType: 'test', subjectId: 3, dueAt: later(minutes(5)) });
    expect(await services.timers.cancel({ subjectType: 'test', subjectId: 3, kind: 'test.remind' })).toBe(1);
    expect(await services.timers.scanDue()).toBe(0);
    expect(await rowOf(remind)).toMatchObject({ status: 'cancelled' });
    expect(await rowOf(flaky)).toMatchObject({ status: 'pending' });
    expect(await services.timers.cancel({ subjectType: 'test', subjectId: 3 })).toBe(1);
    await services.timers.scanDue({ now: later(minutes(10)) });
    expect(await rowOf(flaky)).toMatchObject({ status: 'cancelled' });
    expect(fired.map((t) => t.id)).not.toContain(remind);
  });

  it('stops the clock while paused and shifts the due time by the pause on resume', async () => {
    const dueAt = later(minutes(60));
    const id = await services.timers.schedule({ kind: 'test.remind', subjectType: 'test', subjectId: 4, dueAt });
    expect(await services.timers.pause({ subjectType: 'test', subjectId: 4 })).toBe(1);
    // A paused timer does not fire, even long after its due time.
    await services.timers.scanDue({ now: later(minutes(120)) });
    expect(await rowOf(id)).toMatchObject({ status: 'paused' });
    // The timer has been paused for 30 minutes.
    const pausedAt = new Date(Date.now() - minutes(30));
    await services.models.Timer.update({ paused_at: pausedAt }, { where: { id } });
    const before = Date.now();
    expect(await services.timers.resume({ subjectType: 'test', subjectId: 4 })).toBe(1);
    const after = Date.now();
    const row = await rowOf(id);
    expect(row.status).toBe('pending');
    const shift = new Date(row.due_at).getTime() - dueAt.getTime();
    expect(shift).toBeGreaterThanOrEqual(before - pausedAt.getTime());
    expect(shift).toBeLessThanOrEqual(after - pausedAt.getTime());
    await services.timers.scanDue({ now: new Date(dueAt.getTime() + minutes(29)) });
    expect(await rowOf(id)).toMatchObject({ status: 'pending' });
    await services.timers.scanDue({ now: new Date(dueAt.getTime() + minutes(31)) });
    expect(await rowOf(id)).toMatchObject({ status: 'fired' });
  });

  it('retries a failing handler with backoff, keeping the error, and rolls back what the failed run wrote', async () => {
    failuresLeft = 1;
    const id = await services.timers.schedule({ kind: 'test.flaky', subjectType: 'test', subjectId: 5, dueAt: later(-1000) });
    const written = () => services.models.AuditLog.count({ where: { action: 'timer.test_fired', target_id: '5' } });
    expect(await services.timers.scanDue()).toBe(0);
    const failed = await rowOf(id);
    expect(failed).toMatchObject({ status: 'pending', attempts: 1, last_error: 'Error: the handler broke', fired_at: null });
    expect(new Date(failed.due_at).getTime()).toBeGreaterThan(Date.now());
    expect(await written()).toBe(0);
    // Not again before the backoff has passed …
    expect(await services.timers.scanDue()).toBe(0);
    // … and once after it.
    await services.timers.scanDue({ now: later(minutes(1)) });
    expect(await rowOf(id)).toMatchObject({ status: 'fired', attempts: 2, last_error: null });
    expect(await written()).toBe(1);
  });

  it('parks a timer whose handler keeps failing as failed', async () => {
    failuresLeft = 100;
    const id = await services.timers.schedule({ kind: 'test.flaky', subjectType: 'test', subjectId: 6, dueAt: later(-1000) });
    for (let i = 0; i < 12; i += 1) await services.timers.scanDue({ now: later(minutes(24 * 60)) });
    expect(await rowOf(id)).toMatchObject({ status: 'failed', attempts: 10 });
    failuresLeft = 0;
  });

  it('lists a subject’s timers', async () => {
    await services.timers.schedule({ kind: 'test.remind', subjectType: 'order', subjectId: 77, dueAt: later(minutes(5)), payload: { step: 'remind' } });
    expect(await services.timers.forSubject({ subjectType: 'order', subjectId: 77 })).toEqual([expect.objectContaining({ kind: 'test.remind', subjectId: '77', status: 'pending', payload: { step: 'remind' } })]);
  });
});

describe('durable timers across a restart', () => {
  it('fires a timer that fell due while the server was down once after the next start', async () => {
    const database = await createTestDatabase();
    const first = await startTestServer({ database });
    let second: TestServer | undefined;
    try {
      const dueAt = later(1500);
      const id = await first.running.services.timers.schedule({ kind: 'test.downtime', subjectType: 'test', subjectId: 1, dueAt });
      await first.stop();
      // The server is down while the timer falls due.
      await waitUntil(async () => Date.now() > dueAt.getTime() + 50, 5000, 100);

      second = await startTestServer({ database, env: { APP_SECRET: first.env.APP_SECRET!, SCHEDULER_ENABLED: 'true', CRON_OVERRIDES: JSON.stringify({ 'timers.scan': '* * * * * *' }) } });
      const services = second.running.services;
      const calls: number[] = [];
      services.timers.on('test.downtime', async (timer) => {
        calls.push(timer.id);
      });
      await waitUntil(async () => (await services.models.Timer.findByPk(id, { raw: true }))?.status === 'fired', 10_000);
      expect(await services.timers.scanDue({ now: later(minutes(60)) })).toBe(0);
      expect(calls).toEqual([id]);
    } finally {
      await second?.stop();
      await database.drop();
    }
  }, 60_000);
});
