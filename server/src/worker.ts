import type pino from 'pino';
import { createServices, prepareDatabase, type Services } from './app';
import type { AppConfig } from './config/load-config';

export interface RunningWorker {
  services: Services;
  /** Stops claiming work and lets running jobs and scheduled ticks finish, then closes connections. */
  stop(): Promise<void>;
}

/**
 * A background instance without HTTP: runs the durable job queue (WeCom callback processing, syncs,
 * imports) and the scheduler, so that the instances answering requests spend their CPU on requests.
 * Those run with JOB_WORKER_ENABLED=false and SCHEDULER_ENABLED=false.
 */
export async function startWorker(config: AppConfig, options: { logDestination?: pino.DestinationStream } = {}): Promise<RunningWorker> {
  const services = createServices(config, options);
  await prepareDatabase(services);
  if (config.WECOM_SANDBOX !== 'off' && (await services.wecom.runtime.needsSandbox())) {
    services.log.warn('no WeCom corp is configured: the sandbox lives in the server process, so WeCom calls made by jobs here will fail');
  }
  services.queue.start();
  services.scheduler.start();
  services.timers.start();
  services.auditSealer.start();

  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      await services.scheduler.stop();
      await services.timers.stop();
      await services.wecom.callbacks.stop();
      await services.orders.inbox.stop();
      await services.queue.stop();
      // After requests and jobs: it seals what they wrote last.
      await services.auditSealer.stop();
      await services.kv.close();
      await services.db.close();
    })();
    return stopped;
  };
  return { services, stop };
}
