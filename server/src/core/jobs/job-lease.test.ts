import { z } from 'zod';
import { startTestServer, type TestServer } from '../../testing/test-server';
import { waitUntil } from '../../testing/wait-until';
import { createLogger } from '../logger';
import { createJobQueue } from './job-queue';
import type { JobModels } from './job.models';

const LEASE_MS = 600;

describe('job leases and outcomes through database trouble', () => {
  let server: TestServer;
  /** Job.update calls left to fail, as during a database outage. */
  let failingUpdates = 0;
  let gate: Promise<void> = Promise.resolve();
  let handled: string[] = [];

  beforeAll(async () => {
    server = await startTestServer({ env: { JOB_WORKER_ENABLED: 'false' } });
  });
  afterAll(() => server.stop());
  beforeEach(() => {
    failingUpdates = 0;
    gate = Promise.resolve();
    handled = [];
  });

  /** A queue of its own on the test server's tables, whose Job.update fails while `failingUpdates` lasts. */
  function queueAs(instanceId: string, onFinish?: () => void) {
    const { Job, CronRun } = server.running.services.models;
    const flaky = new Proxy(Job, {
      get(target, property, receiver) {
        if (property !== 'update') return Reflect.get(target, property, receiver) as unknown;
        return (...args: Parameters<typeof Job.update>) => {
          if (failingUpdates > 0) {
            failingUpdates -= 1;
            return Promise.reject(new Error('connect ECONNREFUSED'));
          }
          return target.update(...args);
        };
      },
    });
    const queue = createJobQueue({ models: { Job: flaky, CronRun } as JobModels, log: createLogger('silent'), instanceId, pollMs: 60_000, leaseMs: LEASE_MS });
    queue.register({
      type: 'test.lease',
      payload: z.object({ label: z.string() }),
      async handle({ label }) {
        await gate;
        handled.push(`${instanceId}:${label}`);
        onFinish?.();
      },
    });
    return queue;
  }
  const row = async (id: number | null) => (await server.running.services.models.Job.findByPk(id ?? 0, { raw: true }))!;

  it('records the finish once the database answers again, instead of leaving the job running until its lease ends', async () => {
    // The outage starts as the handler ends: the first two writes of its outcome fail.
    const queue = queueAs('worker-a', () => (failingUpdates = 2));
    const id = await queue.enqueue('test.lease', { label: 'outage' });
    expect(await queue.drain()).toBe(1);
    expect(failingUpdates).toBe(0);
    expect(await row(id)).toMatchObject({ status: 'done', locked_by: null, locked_until: null });
    expect(handled).toEqual(['worker-a:outage']);
  });

  it('keeps the lease of a job that waits (for a lock) longer than its lease, so no other worker runs it too', async () => {
    let open = () => {};
    gate = new Promise((resolve) => (open = resolve));
    const first = queueAs('worker-a');
    const other = queueAs('worker-b');
    const id = await first.enqueue('test.lease', { label: 'slow' });
    const running = first.drain();
    await waitUntil(async () => (await row(id)).status === 'running', 5000, 20);
    const claimedUntil = new Date((await row(id)).locked_until!).getTime();
    // Renewed past twice the lease: the first lease has run out by then, and the job is still held.
    await waitUntil(async () => new Date((await row(id)).locked_until!).getTime() > claimedUntil + LEASE_MS, 10_000, 50);
    expect(await other.drain()).toBe(0);
    expect(await row(id)).toMatchObject({ status: 'running', locked_by: 'worker-a' });
    open();
    await running;
    expect(handled).toEqual(['worker-a:slow']);
    expect((await row(id)).status).toBe('done');
  });
});
