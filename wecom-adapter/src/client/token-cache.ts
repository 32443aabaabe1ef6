import { randomUUID } from 'node:crypto';
import { type SharedStore } from '../shared-store';
import { type ClientTuning, type Sleep, type WecomApp, type WecomLogger } from './client-options';
import { type TokenFetcher } from './token-fetcher';
import { SYSTEM_BUSY, WecomError } from './wecom-error';

export interface TokenCache {
  /** A valid access token for the app: from the shared store, or refreshed once across all instances. */
  get(app: WecomApp): Promise<string>;
  /** WeCom refused `token`: forget it, but only if the store still holds that same token. */
  invalidate(app: WecomApp, token: string): Promise<void>;
}

export interface TokenCacheDeps {
  corpId: string;
  store: SharedStore;
  fetchToken: TokenFetcher;
  now: () => number;
  sleep: Sleep;
  tuning: ClientTuning;
  logger: WecomLogger;
}

interface StoredToken {
  token: string;
  expiresAt: number;
}

export function tokenKey(corpId: string, app: WecomApp): string {
  return `wecom:token:${corpId}:${app}`;
}

export function tokenLockKey(corpId: string, app: WecomApp): string {
  return `wecom:token-lock:${corpId}:${app}`;
}

/**
 * Access tokens shared through the SharedStore. Refreshes are single-flight twice over: one promise
 * per app inside this process, and a `setIfAbsent` lock across instances. Instances that lose the
 * lock poll the store for the new token, and take the lock over if its holder dies.
 */
export function createTokenCache(deps: TokenCacheDeps): TokenCache {
  const { corpId, store, tuning, logger } = deps;
  const inflight = new Map<WecomApp, Promise<string>>();
  /** The last token WeCom refused, per app: never handed out again, even if a stale read sees it. */
  const refused = new Map<WecomApp, string>();
  const instanceId = randomUUID();
  const maxPolls = Math.ceil((2 * tuning.refreshLockMs) / tuning.refreshPollMs) + 1;

  async function readValid(app: WecomApp): Promise<string | null> {
    const stored = parse(await store.get(tokenKey(corpId, app)));
    if (!stored || stored.expiresAt <= deps.now() || stored.token === refused.get(app)) return null;
    return stored.token;
  }

  async function load(app: WecomApp): Promise<string> {
    const cached = await readValid(app);
    if (cached) return cached;
    const lockKey = tokenLockKey(corpId, app);
    for (let poll = 0; poll < maxPolls; poll++) {
      const lockValue = `${instanceId}:${poll}`;
      if (await store.setIfAbsent(lockKey, lockValue, tuning.refreshLockMs)) {
        return refreshHoldingLock(app, lockKey, lockValue);
      }
      await deps.sleep(tuning.refreshPollMs);
      const fresh = await readValid(app);
      if (fresh) return fresh;
    }
    throw new WecomError({ errcode: SYSTEM_BUSY, errmsg: `timed out waiting for the ${app} token refresh`, api: 'gettoken' });
  }

  async function refreshHoldingLock(app: WecomApp, lockKey: string, lockValue: string): Promise<string> {
    try {
      const raced = await readValid(app);
      if (raced) return raced;
      const { accessToken, expiresInMs } = await deps.fetchToken(app);
      const ttlMs = Math.max(expiresInMs - tuning.tokenMarginMs, Math.floor(expiresInMs / 2));
      const value: StoredToken = { token: accessToken, expiresAt: deps.now() + ttlMs };
      await store.set(tokenKey(corpId, app), JSON.stringify(value), ttlMs);
      refused.delete(app);
      logger.info({ app, expiresInMs }, 'wecom access token refreshed');
      return accessToken;
    } finally {
      if ((await store.get(lockKey)) === lockValue) await store.del(lockKey);
    }
  }

  return {
    get(app) {
      const running = inflight.get(app);
      if (running) return running;
      const started = load(app).finally(() => inflight.delete(app));
      inflight.set(app, started);
      return started;
    },
    async invalidate(app, token) {
      refused.set(app, token);
      const key = tokenKey(corpId, app);
      if (parse(await store.get(key))?.token === token) await store.del(key);
    },
  };
}

function parse(raw: string | null): StoredToken | null {
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as Partial<StoredToken>;
    return typeof value.token === 'string' && typeof value.expiresAt === 'number' ? (value as StoredToken) : null;
  } catch {
    return null;
  }
}
