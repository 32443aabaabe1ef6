import { z } from 'zod';
import { startTestServer } from '../../testing/test-server';

describe('graceful shutdown', () => {
  it('stops accepting work but lets a running job finish before it returns', async () => {
    const server = await startTestServer({ env: { JOB_POLL_MS: '50' } });
    const { queue } = server.running.services;
    let release!: () => void;
    const released = new Promise<void>((done) => (release = done));
    let started!: () => void;
    const running = new Promise<void>((done) => (started = done));
    queue.register({
      type: 'test.slow',
      payload: z.object({}),
      async handle() {
        started();
        await released;
      },
    });
    const id = await queue.enqueue('test.slow', {});
    await running;

    let stopped = false;
    const stopping = server.running.stop().then(() => (stopped = true));
    const answers = () => fetch(`${server.baseUrl}/healthz`).then(() => true, () => false);
    for (let tries = 0; (await answers()) && tries < 100; tries += 1) await new Promise((r) => setTimeout(r, 20));
    expect(await answers()).toBe(false);
    expect(stopped).toBe(false);

    release();
    await stopping;
    expect(stopped).toBe(true);
    // The database is closed now; reopen through a second server on the same data to read the job.
    const again = await startTestServer({ database: server.database, env: { ...server.env, JOB_WORKER_ENABLED: 'false' } });
    expect((await again.running.services.models.Job.findByPk(id ?? 0, { raw: true }))?.status).toBe('done');
    await again.stop();
    await server.database.drop();
  });
});
