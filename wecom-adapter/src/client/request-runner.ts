import { type AxiosInstance } from 'axios';
import { msToNextMinute, transientDelayMs } from './backoff';
import { type ClientTuning, type Sleep, type WecomApp, type WecomLogger } from './client-options';
import { type ExchangeOutcome, type HttpMethod, type QueryValue, errcodeOf, errmsgOf, exchange } from './http-exchange';
import { type RateBudget } from './rate-budget';
import { type TokenCache } from './token-cache';
import { CONCURRENCY_LIMIT, FREQUENCY_LIMIT, SYSTEM_BUSY, WecomError, tokenErrcodes } from './wecom-error';

/** Every WeCom reply carries these. */
export interface WecomResult {
  errcode: number;
  errmsg: string;
}

export interface CallSpec {
  /** Whose access token the call uses. */
  app: WecomApp;
  /** Path under `/cgi-bin/`, e.g. `externalcontact/get`. */
  api: string;
  method: HttpMethod;
  query?: Record<string, QueryValue>;
  body?: unknown;
  /** Multipart body, rebuilt for each attempt. */
  form?: () => FormData;
  /**
   * False for calls with a side effect that must not happen twice (message/send…): a network error
   * after the request may have reached WeCom is then not retried. -1 and 5xx are still retried.
   */
  replaySafe?: boolean;
}

export type WecomCall = <T extends object>(spec: CallSpec) => Promise<T & WecomResult>;

export interface RunnerDeps {
  http: AxiosInstance;
  apiBase: string;
  tokens: TokenCache;
  budget: RateBudget;
  now: () => number;
  sleep: Sleep;
  random: () => number;
  tuning: ClientTuning;
  logger: WecomLogger;
}

/** Official SDK rule: on a token errcode, refresh and retry, two attempts in all. */
const TOKEN_ATTEMPTS = 2;

/**
 * Runs one API call: budget, token, HTTP, then the retry rules — token errcodes refresh and retry,
 * -1 / network / 5xx back off and retry, 45009 / 45033 wait out the window; anything else throws.
 */
export function createRequestRunner(deps: RunnerDeps): WecomCall {
  const { tuning, logger } = deps;

  return async <T extends object>(spec: CallSpec): Promise<T & WecomResult> => {
    let tokenRetries = 0;
    let transientRetries = 0;
    let rateLimitRetries = 0;
    for (let attempt = 1; ; attempt++) {
      await deps.budget.acquire(spec.api);
      const token = await deps.tokens.get(spec.app);
      logger.debug({ api: spec.api, app: spec.app, attempt }, 'wecom call');
      const outcome = await exchange(deps.http, {
        method: spec.method,
        url: `${deps.apiBase}/cgi-bin/${spec.api}`,
        params: { ...spec.query, access_token: token },
        data: spec.form ? spec.form() : spec.body,
      });
      if (outcome.ok && errcodeOf(outcome.body) === 0) {
        return { ...outcome.body, errcode: 0, errmsg: errmsgOf(outcome.body) || 'ok' } as T & WecomResult;
      }
      const failure = classify(outcome);
      const { errcode, errmsg } = failure;
      const log = { api: spec.api, app: spec.app, errcode, errmsg, attempt };

      let delayMs: number | null = null;
      if (tokenErrcodes.has(errcode) && tokenRetries < TOKEN_ATTEMPTS - 1) {
        tokenRetries++;
        await deps.tokens.invalidate(spec.app, token);
        delayMs = 0;
      } else if (errcode === SYSTEM_BUSY && transientRetries < tuning.transientRetries && failure.replayable(spec)) {
        transientRetries++;
        delayMs = transientDelayMs(transientRetries, tuning.backoffBaseMs, deps.random);
      } else if ((errcode === FREQUENCY_LIMIT || errcode === CONCURRENCY_LIMIT) && rateLimitRetries < tuning.rateLimitRetries) {
        rateLimitRetries++;
        delayMs =
          errcode === FREQUENCY_LIMIT
            ? msToNextMinute(deps.now())
            : transientDelayMs(rateLimitRetries, tuning.concurrencyBackoffMs, deps.random);
      }
      if (delayMs === null) {
        logger.warn(log, 'wecom call failed');
        throw new WecomError({ errcode, errmsg, api: spec.api, ...failure.extra });
      }
      logger.warn({ ...log, delayMs }, 'wecom call failed; retrying');
      if (delayMs > 0) await deps.sleep(delayMs);
    }
  };
}

interface Failure {
  errcode: number;
  errmsg: string;
  extra: { httpStatus?: number; transportCode?: string };
  replayable(spec: CallSpec): boolean;
}

function classify(outcome: ExchangeOutcome): Failure {
  if (outcome.ok) {
    return { errcode: errcodeOf(outcome.body), errmsg: errmsgOf(outcome.body), extra: {}, replayable: () => true };
  }
  const extra = {
    ...(outcome.httpStatus ? { httpStatus: outcome.httpStatus } : {}),
    ...(outcome.transportCode ? { transportCode: outcome.transportCode } : {}),
  };
  // 5xx is replayed for every call; other statuses (4xx, a 200 that is not JSON) are not transient.
  // A connection dropped after sending is ambiguous (WeCom may have acted), so calls marked
  // replaySafe: false are not replayed then.
  const status = outcome.httpStatus;
  if (status !== undefined && status < 500) return { errcode: SYSTEM_BUSY, errmsg: outcome.reason, extra, replayable: () => false };
  const mayHaveRun = outcome.reached && status === undefined;
  return {
    errcode: SYSTEM_BUSY,
    errmsg: outcome.reason,
    extra,
    replayable: (spec) => !mayHaveRun || spec.replaySafe !== false,
  };
}
