import { z } from 'zod';
import { startTestServer, type TestServer } from '../../testing/test-server';

describe('durable background jobs', () => {
  let server: TestServer;
  let admin: string;
  const seen: string[] = [];
  let failuresLeft = 0;

  beforeAll(async () => {
    server = await startTestServer({ env: { JOB_WORKER_ENABLED: 'false' } });
    admin = await server.login('admin');
    server.running.services.queue.register({
      type: 'test.record',
      payload: z.object({ label: z.string() }),
      maxAttempts: 3,
      async handle({ label }) {
        if (failuresLeft > 0) {
          failuresLeft -= 1;
          throw new Error(`planned failure for ${label}`);
        }
        seen.push(label);
      },
    });
    // Work the demo data queued at start-up (pricing, notices) is not this suite's.
    await server.running.services.queue.drain();
  });
  afterAll(() => server.stop());
  beforeEach(() => {
    seen.length = 0;
    failuresLeft = 0;
  });

  const queue = () => server.running.services.queue;
  const models = () => server.running.services.models;
  const job = async (id: number | null) => (await models().Job.findByPk(id ?? 0, { raw: true }))!;
  /** Makes a job that is waiting for its backoff due now, as if the time had passed. */
  const makeDue = (id: number | null) => models().Job.update({ run_at: new Date(Date.now() - 1000) }, { where: { id: id ?? 0 } });

  it('stores accepted work before running it, then runs it once', async () => {
    const id = await queue().enqueue('test.record', { label: 'a' });
    expect((await job(id)).status).toBe('pending');
    expect(await queue().drain()).toBe(1);
    expect(seen).toEqual(['a']);
    expect((await job(id)).status).toBe('done');
    expect(await queue().drain()).toBe(0);
  });

  it('retries a failing job with a growing backoff and then succeeds', async () => {
    failuresLeft = 2;
    const id = await queue().enqueue('test.record', { label: 'b' });
    await queue().drain();
    const afterFirst = await job(id);
    expect(afterFirst).toMatchObject({ status: 'pending', attempts: 1, last_error: 'Error: planned failure for b' });
    expect(new Date(afterFirst.run_at).getTime()).toBeGreaterThan(Date.now());
    await makeDue(id);
    await queue().drain();
    const afterSecond = await job(id);
    expect(new Date(afterSecond.run_at).getTime() - Date.now()).toBeGreaterThan(new Date(afterFirst.run_at).getTime() - Date.now() - 100);
    await makeDue(id);
    await queue().drain();
    expect(seen).toEqual(['b']);
    expect(await job(id)).toMatchObject({ status: 'done', attempts: 3 });
  });

  it('parks a job that keeps failing as a dead letter that an admin can see and retry', async () => {
    failuresLeft = 3;
    const id = await queue().enqueue('test.record', { label: 'c' });
    for (let i = 0; i < 3; i += 1) {
      await makeDue(id);
      await queue().drain();
    }
    expect((await job(id)).status).toBe('dead');
    const dead = await server.api<{ data: { items: Array<{ id: number; lastError: string }> } }>('GET', '/api/jobs?status=dead', { token: admin });
    expect(dead.body.data.items).toEqual([expect.objectContaining({ id, lastError: 'Error: planned failure for c' })]);

    const retry = await server.api('POST', `/api/jobs/${id}/retry`, { token: admin });
    expect(retry.status).toBe(200);
    await queue().drain();
    expect(seen).toEqual(['c']);
    expect((await job(id)).status).toBe('done');
    expect((await server.api('POST', `/api/jobs/${id}/retry`, { token: admin })).status).toBe(409);
  });

  it('runs again a job whose worker died while holding it', async () => {
    const id = await queue().enqueue('test.record', { label: 'd' });
    await models().Job.update({ status: 'running', locked_by: 'dead-instance', locked_until: new Date(Date.now() - 1000), attempts: 1 }, { where: { id: id ?? 0 } });
    await queue().drain();
    expect(seen).toEqual(['d']);
    expect((await job(id)).status).toBe('done');
  });

  it('parks as dead a job whose workers keep dying on it', async () => {
    const id = await queue().enqueue('test.record', { label: 'poison' }, { maxAttempts: 2 });
    await models().Job.update({ status: 'running', locked_by: 'dead-instance', locked_until: new Date(Date.now() - 1000), attempts: 2 }, { where: { id: id ?? 0 } });
    await queue().drain();
    expect(seen).toEqual([]);
    expect(await job(id)).toMatchObject({ status: 'dead', last_error: 'worker stopped while running it' });
  });

  it('keeps no job from a transaction that rolled back', async () => {
    const before = await models().Job.count();
    await expect(
      server.running.services.db.transaction(async (tx) => {
        await queue().enqueue('test.record', { label: 'ghost' }, { transaction: tx });
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    expect(await models().Job.count()).toBe(before);
    await queue().drain();
    expect(seen).toEqual([]);
  });

  it('refuses a payload that does not match the job type, and ignores a duplicate key', async () => {
    await expect(queue().enqueue('test.record', { label: 7 })).rejects.toThrow();
    const first = await queue().enqueue('test.record', { label: 'e' }, { dedupeKey: 'order-1' });
    const second = await queue().enqueue('test.record', { label: 'e' }, { dedupeKey: 'order-1' });
    expect(first).not.toBeNull();
    expect(second).toBeNull();
    await queue().drain();
    expect(seen).toEqual(['e']);
  });
});
