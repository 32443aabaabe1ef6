import { ConfigError, loadConfig, type AppConfig } from './config/load-config';
import type { Logger } from './core/logger';

export interface RunningProcess {
  log: Logger;
  stop(): Promise<void>;
}

/**
 * What `npm run serve` and `npm run worker` share: load the config (a bad one exits with code 2 and
 * its message), start, and stop cleanly on SIGTERM / SIGINT; a failed start exits with code 1.
 */
export function runProcess(start: (config: AppConfig) => Promise<RunningProcess>): void {
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
    const running = await start(config);
    const shutdown = (signal: string) => {
      running.log.info({ signal }, 'shutting down');
      running.stop().then(
        () => process.exit(0),
        (error: unknown) => {
          running.log.error({ err: error }, 'shutdown failed');
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
}
