import { ConfigError, loadConfig } from './config/load-config';
import { startWorker } from './worker';

/** `npm run worker`: the job queue and the scheduler without HTTP (see worker.ts). */
async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const worker = await startWorker(config);
  const { log } = worker.services;
  log.info({ instanceId: worker.services.instanceId }, 'worker started');

  const shutdown = (signal: string) => {
    log.info({ signal }, 'shutting down');
    worker.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
