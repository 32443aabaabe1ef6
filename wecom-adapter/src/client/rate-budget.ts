import { type SharedStore } from '../shared-store';
import { msToNextMinute } from './backoff';
import { type RateLimitOptions, type Sleep, type WecomLogger } from './client-options';

/** A bit under WeCom's 10,000 calls per corp per API per minute (PROTOCOL §4.3). */
export const DEFAULT_PER_MINUTE = 9_000;

export interface RateBudget {
  /** Resolves once this call fits in the current minute's budget, waiting for the next minute if needed. */
  acquire(api: string): Promise<void>;
  limitFor(api: string): number;
}

export interface RateBudgetDeps {
  corpId: string;
  store: SharedStore;
  now: () => number;
  sleep: Sleep;
  limits: RateLimitOptions;
  logger: WecomLogger;
}

export function budgetKey(corpId: string, api: string, minute: number): string {
  return `wecom:budget:${corpId}:${api}:${minute}`;
}

/** Per-corp, per-API, per-minute counter in the SharedStore, so all instances spend one budget. */
export function createRateBudget(deps: RateBudgetDeps): RateBudget {
  const limitFor = (api: string): number => deps.limits.perApi?.[api] ?? deps.limits.perMinute ?? DEFAULT_PER_MINUTE;

  return {
    limitFor,
    async acquire(api) {
      const limit = limitFor(api);
      for (;;) {
        const minute = Math.floor(deps.now() / 60_000);
        const used = await deps.store.increment(budgetKey(deps.corpId, api, minute), 1, 120_000);
        if (used <= limit) return;
        const waitMs = msToNextMinute(deps.now());
        deps.logger.info({ api, limit, waitMs }, 'wecom per-minute budget spent; waiting for the next minute');
        await deps.sleep(waitMs);
      }
    },
  };
}
