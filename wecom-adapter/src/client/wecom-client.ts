import axios from 'axios';
import { createAuthApi } from './auth.api';
import { type WecomApp, type WecomClientOptions, defaultTuning, realSleep, silentLogger } from './client-options';
import { createContactWaysApi } from './contact-ways.api';
import { createDirectoryApi } from './directory.api';
import { createExternalContactApi } from './external-contact.api';
import { createGroupChatsApi } from './group-chats.api';
import { createJsapiApi } from './jsapi.api';
import { createMediaApi } from './media.api';
import { createMessagesApi } from './messages.api';
import { createRateBudget } from './rate-budget';
import { createRequestRunner } from './request-runner';
import { createTokenCache } from './token-cache';
import { createTokenFetcher } from './token-fetcher';
import { createTagsApi } from './tags.api';
import { createTransfersApi } from './transfers.api';

export const DEFAULT_API_BASE = 'https://qyapi.weixin.qq.com';

/**
 * The WeCom REST client: one per corp. Tokens and rate budgets live in the SharedStore so every
 * instance of the server shares them. Each namespace declares whose token it uses: directory →
 * contact app; externalContact, tags, groupChats, contactWays, transfers and the customer messages →
 * customer app; messages.send, media, jsapi, auth → agent app.
 */
export function createWecomClient(options: WecomClientOptions) {
  const tuning = { ...defaultTuning, ...options.tuning };
  const apiBase = (options.apiBase ?? DEFAULT_API_BASE).replace(/\/+$/, '');
  const logger = options.logger ?? silentLogger;
  const sleep = options.sleep ?? realSleep;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const http = options.http ?? axios.create({ timeout: tuning.httpTimeoutMs });
  const { corpId, store } = options;

  const fetchToken = createTokenFetcher({ http, apiBase, corpId, secrets: options.secrets, sleep, random, tuning, logger });
  const tokens = createTokenCache({ corpId, store, fetchToken, now, sleep, tuning, logger });
  const budget = createRateBudget({ corpId, store, now, sleep, limits: options.limits ?? {}, logger });
  const call = createRequestRunner({ http, apiBase, tokens, budget, now, sleep, random, tuning, logger });

  return {
    corpId,
    /** A valid access token for an app (for callers that need one directly; never log it). */
    accessToken: (app: WecomApp) => tokens.get(app),
    /** Escape hatch for endpoints without a typed wrapper; same token, budget and retry rules. */
    call,
    directory: createDirectoryApi(call),
    externalContact: createExternalContactApi(call),
    tags: createTagsApi(call),
    groupChats: createGroupChatsApi(call),
    messages: createMessagesApi(call, options.agentId),
    contactWays: createContactWaysApi(call),
    transfers: createTransfersApi(call),
    media: createMediaApi(call),
    jsapi: createJsapiApi(call, { corpId, store, now, marginMs: tuning.tokenMarginMs }),
    auth: createAuthApi(call),
  };
}

export type WecomClient = ReturnType<typeof createWecomClient>;
