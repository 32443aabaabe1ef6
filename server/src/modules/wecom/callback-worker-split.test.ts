import { Op } from 'sequelize';
import { startTestServer, type TestServer } from '../../testing/test-server';
import { waitUntil } from '../../testing/wait-until';
import { PROCESS_JOB } from './wecom-callback.service';
import { cryptoFor, externalContactXml, sealedCallback, testWecomEnv } from '../../testing/wecom-test-callbacks';

/** As deployed in production: an instance that only answers requests, and a worker process beside it. */
describe('callbacks stored by an instance that runs no jobs', () => {
  const wecomEnv = testWecomEnv('ww_split_corp');
  const crypto = cryptoFor(wecomEnv);
  let answering: TestServer;
  let worker: TestServer;

  beforeAll(async () => {
    answering = await startTestServer({ env: { ...wecomEnv, JOB_WORKER_ENABLED: 'false' } });
    worker = await startTestServer({ database: answering.database, env: { ...answering.env, JOB_WORKER_ENABLED: 'true', JOB_POLL_MS: '100' } });
  });
  afterAll(async () => {
    await worker?.stop();
    await answering?.stop();
  });

  it('are turned into jobs and processed by the worker, each once', async () => {
    const events = Array.from({ length: 30 }, (_, i) => externalContactXml(wecomEnv.WECOM_CORP_ID, { changeType: 'edit_external_contact', userId: 'u1', externalUserId: `wm_split_${i}`, createTime: 1700008000 }));
    for (const xml of events) {
      const request = sealedCallback(crypto, wecomEnv.WECOM_CORP_ID, xml);
      expect((await answering.api('POST', request.path, { rawBody: request.body, headers: { 'content-type': 'text/xml' } })).status).toBe(200);
    }
    const { WecomCallback } = answering.running.services.models;
    await waitUntil(async () => (await WecomCallback.count({ where: { processed_at: { [Op.ne]: null } } })) === events.length, 30_000, 100);
    expect(await WecomCallback.count()).toBe(events.length);
    // Every callback went into exactly one job.
    const jobs = await answering.running.services.models.Job.findAll({ where: { type: PROCESS_JOB }, raw: true });
    const batched = jobs.flatMap((job) => (JSON.parse(job.payload) as { callbackIds: number[] }).callbackIds);
    expect(batched).toHaveLength(events.length);
    expect(new Set(batched).size).toBe(events.length);
  });
});
