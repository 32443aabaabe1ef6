import { type AxiosInstance } from 'axios';
import { type SharedStore } from '../shared-store';

/** The three self-built apps a corp configures; each has its own secret and access token. */
export type WecomApp = 'contact' | 'customer' | 'agent';

/** pino-compatible subset: `(obj, msg)`. */
export interface WecomLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export type Sleep = (ms: number) => Promise<void>;

export interface RateLimitOptions {
  /** Calls per corp per API per minute; default 9,000 (WeCom's limit is 10,000, §4.3). */
  perMinute?: number;
  /** Overrides by API path, e.g. `{ 'externalcontact/get': 3000 }`. */
  perApi?: Record<string, number>;
}

export interface WecomClientOptions {
  corpId: string;
  /** Default `https://qyapi.weixin.qq.com`; the client appends `/cgi-bin/<api>`. */
  apiBase?: string;
  secrets: Partial<Record<WecomApp, string>>;
  /** The `agent` app's agentid; filled into message/send when the caller leaves it out. */
  agentId?: number;
  store: SharedStore;
  logger?: WecomLogger;
  /** Injectable for tests; default a real timer. */
  sleep?: Sleep;
  /** Injectable clock (ms since epoch) for tests; default `Date.now`. */
  now?: () => number;
  /** Injectable jitter source in [0, 1); default `Math.random`. */
  random?: () => number;
  limits?: RateLimitOptions;
  http?: AxiosInstance;
  /** Fine tuning; defaults suit production. */
  tuning?: Partial<ClientTuning>;
}

export interface ClientTuning {
  /** Refresh this long before `expires_in` runs out. */
  tokenMarginMs: number;
  /** How long one instance may hold the cross-instance refresh lock. */
  refreshLockMs: number;
  /** How often instances waiting on another's refresh look at the store. */
  refreshPollMs: number;
  /** First backoff step for -1, network errors and 5xx. */
  backoffBaseMs: number;
  /** Retries (after the first attempt) for -1, network errors and 5xx. */
  transientRetries: number;
  /** Retries after 45009 / 45033. */
  rateLimitRetries: number;
  /** Backoff step after 45033. */
  concurrencyBackoffMs: number;
  /** Axios timeout for the default http instance. */
  httpTimeoutMs: number;
}

export const defaultTuning: ClientTuning = {
  tokenMarginMs: 5 * 60_000,
  refreshLockMs: 15_000,
  refreshPollMs: 200,
  backoffBaseMs: 300,
  transientRetries: 3,
  rateLimitRetries: 3,
  concurrencyBackoffMs: 1_000,
  httpTimeoutMs: 15_000,
};

export const silentLogger: WecomLogger = { debug() {}, info() {}, warn() {}, error() {} };

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
