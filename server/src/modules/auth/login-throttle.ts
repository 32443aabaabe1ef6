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
  const consumeOrRefuse = async (limiter: RateLimiterAbstract, key: string, what: string) => {
    try {
      await limiter.consume(key);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) throw tooMany(what, rejection.msBeforeNext);
      throw rejection;
    }
  };

  const admitAddress = (ip: string) => consumeOrRefuse(perIp, ip, 'too many sign-in attempts from your address');

  return {
    /**
     * Counts an attempt against the address and the account before the password is checked, so that
     * concurrent guesses cannot all slip in under the limit; throws 429 when either is spent.
     */
    async admit(ip: string, username: string): Promise<void> {
      await admitAddress(ip);
      await consumeOrRefuse(perAccount, accountKey(username), 'too many failed sign-ins for this account');
    },
    /** Counts an attempt that names no account (WeCom sign-in) against the address only. */
    admitAddress,
    /** A successful sign-in clears the account's count of failures. */
    async succeeded(username: string): Promise<void> {
      await perAccount.delete(accountKey(username));
    },
  };
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
