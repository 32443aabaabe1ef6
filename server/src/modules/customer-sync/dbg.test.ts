import { startTestServer } from '../../testing/test-server';
import { mirrorSandboxTags, startSyncSandbox } from './customer-sync-test-kit';
it('dbg', async () => {
  const kit = await startSyncSandbox({ employees: 3, customers: 50 });
  const server = await startTestServer({ env: { ...kit.env, JOB_WORKER_ENABLED: 'false' } });
  await mirrorSandboxTags(server.running.services.models, kit.sandbox);
  const run = await server.running.services.wecom.syncRuns.start('customers', 'manual');
  await server.running.services.queue.drain();
  console.log(JSON.stringify(await server.running.services.wecom.syncRuns.get(Number(run.id))));
  console.log(JSON.stringify(await server.running.services.models.Job.findAll({ raw: true })));
  await server.stop(); await kit.sandbox.close();
}, 60000);
