import { runProcess } from './process-runner';
import { startWorker } from './worker';

/** `npm run worker`: the job queue and the scheduler without HTTP (see worker.ts). */
runProcess(async (config) => {
  const worker = await startWorker(config);
  const { log } = worker.services;
  log.info({ instanceId: worker.services.instanceId }, 'worker started');
  return { log, stop: () => worker.stop() };
});
