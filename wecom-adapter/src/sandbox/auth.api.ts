import { fail } from './api-error';
import { type ApiFactory, ok, scopes } from './api-registry';
import type { SandboxApp } from './sandbox.types';

/** gettoken, JS-SDK tickets (PROTOCOL §6) and OAuth code exchange. */
export const authApis: ApiFactory = ({ state, options }) => [
  {
    path: 'gettoken',
    method: 'GET',
    apps: [],
    public: true,
    handle({ query }) {
      if (query.corpid !== options.corpId) fail('INVALID_CORPID');
      const app = (Object.keys(options.secrets) as SandboxApp[]).find((a) => options.secrets[a] === query.corpsecret);
      if (!app) return fail('INVALID_SECRET');
      const token = state.credentials.issueToken(app, options.tokenTtlSeconds);
      return ok({ access_token: token.token, expires_in: Math.floor((token.expiresAt - state.clock()) / 1000) });
    },
  },
  {
    path: 'get_jsapi_ticket',
    method: 'GET',
    apps: scopes.agent,
    handle() {
      const t = state.credentials.ticket('corp', 7200);
      return ok({ ticket: t.ticket, expires_in: Math.floor((t.expiresAt - state.clock()) / 1000) });
    },
  },
  {
    path: 'ticket/get',
    method: 'GET',
    apps: scopes.agent,
    handle({ query }) {
      if (query.type !== 'agent_config') fail('INVALID_PARAMETER', 'type must be agent_config');
      const t = state.credentials.ticket('agent', 7200);
      return ok({ ticket: t.ticket, expires_in: Math.floor((t.expiresAt - state.clock()) / 1000) });
    },
  },
  {
    path: 'auth/getuserinfo',
    method: 'GET',
    apps: scopes.agent,
    handle({ query }) {
      const code = query.code ? state.credentials.redeemOauthCode(query.code) : undefined;
      if (!code) return fail('INVALID_OAUTH_CODE');
      if (code.userid) return ok({ userid: code.userid });
      return ok({ openid: code.openid ?? '', ...(code.externalUserid ? { external_userid: code.externalUserid } : {}) });
    },
  },
];
