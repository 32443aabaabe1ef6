import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type pino from 'pino';
import { createServices, prepareDatabase, type PreparedDatabase, type Services } from './app';
import type { AppConfig } from './config/load-config';
import { createHttpApp } from './http-app';
import { startWecomSandbox, type RunningSandbox } from './modules/wecom/wecom-sandbox-boot';

export interface RunningServer {
  services: Services;
  prepared: PreparedDatabase;
  url: string;
  /** The WeCom sandbox, when no WeCom corp is configured. */
  sandbox: RunningSandbox | null;
  /** Stops accepting, lets in-flight requests and jobs finish, then closes connections. */
  stop(): Promise<void>;
}

export async function startServer(config: AppConfig, options: { logDestination?: pino.DestinationStream } = {}): Promise<RunningServer> {
  const services = createServices(config, options);
  let shuttingDown = false;
  const prepared = await prepareDatabase(services);
  const app = createHttpApp(services, { isShuttingDown: () => shuttingDown });
  if (config.JOB_WORKER_ENABLED) services.queue.start();
  if (config.SCHEDULER_ENABLED) services.scheduler.start();
  if (config.SCHEDULER_ENABLED) services.timers.start();
  if (config.SCHEDULER_ENABLED) services.auditSealer.start();

  const server: Server = await new Promise((ready, fail) => {
    const listening = app.listen(config.PORT, config.HOST, () => ready(listening));
    listening.once('error', fail);
  });
  server.keepAliveTimeout = 5000;
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.HOST === '0.0.0.0' ? 'localhost' : config.HOST}:${port}`;
  const sandbox = await startWecomSandbox(services, `http://127.0.0.1:${port}`);

  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      shuttingDown = true;
      await services.scheduler.stop();
      await services.timers.stop();
      const closed = new Promise<void>((done) => server.close(() => done()));
      server.closeIdleConnections();
      const forced = setTimeout(() => server.closeAllConnections(), config.SHUTDOWN_TIMEOUT_MS);
      await closed;
      clearTimeout(forced);
      await services.wecom.callbacks.stop();
      await services.orders.inbox.stop();
      await services.queue.stop();
      // After requests and jobs: it seals what they wrote last.
      await services.auditSealer.stop();
      await sandbox?.close();
      await services.kv.close();
      await services.db.close();
    })();
    return stopped;
  };
  return { services, prepared, url, sandbox, stop };
}
