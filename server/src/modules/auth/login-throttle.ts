import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { KeyValueStore } from '../../core/kv/kv-store';
import { AppError } from '../../core/errors';

export interface LoginThrottleOptions {
  ipMaxAttempts: number;
  ipWindowSeconds: number;
  accountMaxFailures: number;
  accountLockSeconds: number;
}

const limiter = (kv: KeyValueStore, keyPrefix: string, points: number, duration: number): RateLimiterAbstract =>
  kv.redis ? new RateLimiterRedis({ storeClient: kv.redis, keyPrefix, points, duration }) : new RateLimiterMemory({ keyPrefix, points, duration });

const tooMany = (what: string, msBeforeNext: number) => {
  const retryAfterSeconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return new AppError('TOO_MANY_ATTEMPTS', `${what}; try again in ${retryAfterSeconds} s`, { retryAfterSeconds });
};

/**
 * Two throttles on sign-in, shared by every instance through Redis when configured: every attempt
 * counts against the caller's IP; failed attempts count against the account.
 */
export function createLoginThrottle(kv: KeyValueStore, options: LoginThrottleOptions) {
  const perIp = limiter(kv, 'login-ip', options.ipMaxAttempts, options.ipWindowSeconds);
  const perAccount = limiter(kv, 'login-account', options.accountMaxFailures, options.accountLockSeconds);
  const accountKey = (username: string) => username.trim().toLowerCase();

  return {
    /** Counts an attempt; throws 429 when the IP or the account is over its limit. */
    async admit(ip: string, username: string): Promise<void> {
      try {
        await perIp.consume(ip);
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) throw tooMany('too many sign-in attempts from your address', rejection.msBeforeNext);
        throw rejection;
      }
      const account = await perAccount.get(accountKey(username));
      if (account && account.consumedPoints >= options.accountMaxFailures) {
        throw tooMany('too many failed sign-ins for this account', account.msBeforeNext);
      }
    },
    async failed(username: string): Promise<void> {
      await perAccount.penalty(accountKey(username), 1);
    },
    async succeeded(username: string): Promise<void> {
      await perAccount.delete(accountKey(username));
    },
  };
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
