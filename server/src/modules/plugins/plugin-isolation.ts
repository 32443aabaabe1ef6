import type { Database } from '../../core/db/database';
import type { Logger } from '../../core/logger';
import type { FailureKind, PluginModels } from './plugin.models';

export class PluginTimeoutError extends Error {
  constructor(what: string, ms: number) {
    super(`${what} did not finish within ${ms} ms`);
    this.name = 'PluginTimeoutError';
  }
}

/**
 * Races a plugin's work against a time limit. A hung promise keeps running in the background but no
 * longer holds up the caller; it cannot be cancelled, only abandoned.
 */
export async function withTimeLimit<T>(work: () => Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, fail) => {
    timer = setTimeout(() => fail(new PluginTimeoutError(what, ms)), ms);
    timer.unref();
  });
  try {
    // The plugin's own code may throw synchronously: Promise.resolve().then keeps that a rejection.
    return await Promise.race([Promise.resolve().then(work), limit]);
  } finally {
    clearTimeout(timer);
  }
}

export const errorText = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 2000);

/** Counts a plugin's failure (listed in the console) without letting the failure reach the core. */
export function createFailureRecorder(deps: { db: Database; models: PluginModels; log: Logger }) {
  return async function recordFailure(plugin: string, kind: FailureKind, target: string, error: unknown): Promise<void> {
    deps.log.warn({ plugin, kind, target, error: errorText(error) }, 'plugin failure');
    try {
      // Outside any transaction (queued with this process's writers on SQLite): do not await it from inside one.
      await deps.db.exclusive(() => deps.models.PluginFailure.create({ plugin, kind, target: target.slice(0, 128), error: errorText(error), at: new Date() }));
    } catch (writeError) {
      deps.log.error({ err: writeError, plugin }, 'could not record a plugin failure');
    }
  };
}

export type FailureRecorder = ReturnType<typeof createFailureRecorder>;
