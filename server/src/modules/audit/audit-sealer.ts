import type { Logger } from '../../core/logger';
import type { AuditService } from './audit.service';

/**
 * Seals new audit rows into the hash chain every `intervalMs`. Runs wherever background work runs;
 * on several instances the chain head's row lock makes them take turns.
 */
export function createAuditSealer(deps: { audit: AuditService; log: Logger; intervalMs: number }) {
  let timer: NodeJS.Timeout | null = null;
  let tick: Promise<void> | null = null;
  let running = false;

  const sealNow = async () => {
    try {
      await deps.audit.seal();
    } catch (error) {
      deps.log.error({ err: error }, 'sealing the audit trail failed; retrying on the next tick');
    }
  };

  const loop = () => {
    tick = sealNow().finally(() => {
      tick = null;
      if (running) timer = setTimeout(loop, deps.intervalMs);
    });
  };

  return {
    start(): void {
      if (running) return;
      running = true;
      loop();
    },
    /** Stops the loop and seals what the last requests wrote. */
    async stop(): Promise<void> {
      running = false;
      if (timer) clearTimeout(timer);
      timer = null;
      await tick;
      await sealNow();
    },
  };
}

export type AuditSealer = ReturnType<typeof createAuditSealer>;
