import { type AxiosInstance } from 'axios';
import { transientDelayMs } from './backoff';
import { type ClientTuning, type Sleep, type WecomApp, type WecomLogger } from './client-options';
import { errcodeOf, errmsgOf, exchange } from './http-exchange';
import { SYSTEM_BUSY, WecomError } from './wecom-error';

export interface FetchedToken {
  accessToken: string;
  expiresInMs: number;
}

export type TokenFetcher = (app: WecomApp) => Promise<FetchedToken>;

export interface TokenFetcherDeps {
  http: AxiosInstance;
  apiBase: string;
  corpId: string;
  secrets: Partial<Record<WecomApp, string>>;
  sleep: Sleep;
  random: () => number;
  tuning: ClientTuning;
  logger: WecomLogger;
}

const API = 'gettoken';

/** Calls `/cgi-bin/gettoken` for one app, retrying -1 / network / 5xx with backoff. */
export function createTokenFetcher(deps: TokenFetcherDeps): TokenFetcher {
  return async (app) => {
    const secret = deps.secrets[app];
    if (!secret) {
      throw new WecomError({ errcode: 40001, errmsg: `no secret configured for the ${app} app`, api: API });
    }
    for (let attempt = 1; ; attempt++) {
      deps.logger.debug({ api: API, app, attempt }, 'wecom gettoken');
      const outcome = await exchange(deps.http, {
        method: 'GET',
        url: `${deps.apiBase}/cgi-bin/gettoken`,
        params: { corpid: deps.corpId, corpsecret: secret },
      });
      const errcode = outcome.ok ? errcodeOf(outcome.body) : SYSTEM_BUSY;
      if (outcome.ok && errcode === 0) return parseToken(outcome.body);
      const errmsg = outcome.ok ? errmsgOf(outcome.body) : outcome.reason;
      if (errcode === SYSTEM_BUSY && attempt <= deps.tuning.transientRetries) {
        const delayMs = transientDelayMs(attempt, deps.tuning.backoffBaseMs, deps.random);
        deps.logger.warn({ api: API, app, errcode, errmsg, attempt, delayMs }, 'wecom gettoken failed; retrying');
        await deps.sleep(delayMs);
        continue;
      }
      deps.logger.error({ api: API, app, errcode, errmsg, attempt }, 'wecom gettoken failed');
      throw new WecomError({
        errcode,
        errmsg,
        api: API,
        ...(!outcome.ok && outcome.httpStatus ? { httpStatus: outcome.httpStatus } : {}),
        ...(!outcome.ok && outcome.transportCode ? { transportCode: outcome.transportCode } : {}),
      });
    }
  };
}

function parseToken(body: Record<string, unknown>): FetchedToken {
  const accessToken = body.access_token;
  const expiresIn = Number(body.expires_in);
  if (typeof accessToken !== 'string' || accessToken === '') {
    throw new WecomError({ errcode: SYSTEM_BUSY, errmsg: 'gettoken returned no access_token', api: API });
  }
  return { accessToken, expiresInMs: (Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 7200) * 1000 };
}
