import { randomBytes } from 'node:crypto';
import { WecomError } from '@scrm/wecom-adapter';
import type { AppConfig } from '../../config/load-config';
import type { Models } from '../../core/db/models';
import { AppError } from '../../core/errors';
import type { KeyValueStore } from '../../core/kv/kv-store';
import type { AuditService } from '../audit/audit.service';
import type { AuthService, LoginClient } from '../auth/auth.service';
import type { WecomRuntime } from '../wecom/wecom-runtime';
import type { LoginThrottle } from '../auth/login-throttle';

export type WecomLoginMode = 'oauth' | 'qr';

const STATE_TTL_MS = 10 * 60_000;
const stateKey = (state: string) => `wecom-login:state:${state}`;
/** 40029 invalid code; 40163 code already used; 42003 code expired. */
const BAD_CODE = new Set([40029, 40163, 42003]);

const OAUTH_BASE = 'https://open.weixin.qq.com';
const QR_BASE = 'https://login.work.weixin.qq.com';

/**
 * Sign-in through WeCom: in the WeCom client (OAuth, snsapi_base) or on the web by QR code. Both come
 * back with a code that auth/getuserinfo turns into the member's userid; the member's active user gets
 * a session. `state` is kept server-side, single use, for ten minutes.
 */
export function createWecomLoginService(deps: { config: AppConfig; kv: KeyValueStore; runtime: WecomRuntime; models: Models; audit: AuditService; auth: AuthService; throttle: LoginThrottle }) {
  const { config, kv, runtime, models, audit, auth, throttle } = deps;

  const failed = (name: string, reason: string, userId: number | null = null) =>
    audit.record({ action: 'auth.login_failed', targetType: 'user', targetId: userId, actor: { id: null, name: `wecom:${name}`.slice(0, 128) }, after: { method: 'wecom', reason } });

  /** Only our own console may receive the code: PUBLIC_URL's origin when set, else the origin this request came to. */
  function assertOwnRedirect(redirect: string, requestOrigin: string) {
    const allowed = config.PUBLIC_URL ? new URL(config.PUBLIC_URL).origin : requestOrigin;
    if (new URL(redirect).origin !== allowed) {
      throw new AppError('VALIDATION_FAILED', `redirect must stay on ${allowed}`, [{ path: 'query.redirect', message: `must be on ${allowed}` }]);
    }
  }

  return {
    async authorizeUrl(redirect: string, mode: WecomLoginMode, requestOrigin: string): Promise<{ url: string; state: string }> {
      assertOwnRedirect(redirect, requestOrigin);
      const current = await runtime.current();
      const { corpId, agentId, apiBase } = current.settings;
      if (!corpId || !agentId) throw new AppError('CONFLICT', 'WeCom sign-in needs the corp id and the agent id of the self-built app');
      const state = randomBytes(18).toString('base64url');
      await kv.set(stateKey(state), JSON.stringify({ mode, redirect }), STATE_TTL_MS);
      // In sandbox mode the sandbox plays both WeCom pages.
      const sandbox = current.mode === 'sandbox' && apiBase ? apiBase.replace(/\/+$/, '') : null;
      if (mode === 'qr') {
        const url = new URL('/wwlogin/sso/login', sandbox ?? QR_BASE);
        url.search = new URLSearchParams({ login_type: 'CorpApp', appid: corpId, agentid: agentId, redirect_uri: redirect, state }).toString();
        return { url: url.toString(), state };
      }
      const url = new URL('/connect/oauth2/authorize', sandbox ?? OAUTH_BASE);
      url.search = new URLSearchParams({ appid: corpId, redirect_uri: redirect, response_type: 'code', scope: 'snsapi_base', state, agentid: agentId }).toString();
      return { url: `${url.toString()}#wechat_redirect`, state };
    },

    async login(code: string, state: string, client: LoginClient) {
      // Codes and states are not guessable, but every attempt still counts against the address.
      await throttle.admitAddress(client.ip);
      const key = stateKey(state);
      const stored = await kv.get(key);
      // deleteIfEquals makes the state single-use even when two requests race with it.
      if (!stored || !(await kv.deleteIfEquals(key, stored))) {
        await failed('?', 'bad_state');
        throw new AppError('VALIDATION_FAILED', 'this sign-in link expired or was already used: start again', [{ path: 'body.state', message: 'unknown, expired or already used' }]);
      }
      const wecom = await runtime.client();
      if (!wecom) throw new AppError('CONFLICT', 'WeCom is not configured');
      let userid: string | undefined;
      try {
        userid = (await wecom.auth.getUserInfo(code)).userid;
      } catch (error) {
        if (!(error instanceof WecomError && BAD_CODE.has(error.errcode))) throw error;
        await failed('?', 'bad_code');
        throw new AppError('INVALID_CREDENTIALS', 'the WeCom sign-in code is invalid or expired: start again');
      }
      if (!userid) {
        await failed('?', 'not_a_member');
        throw new AppError('FORBIDDEN', 'only members of the corp can sign in', { reason: 'not_a_member' });
      }
      const user = await models.User.findOne({ where: { wecom_userid: userid }, raw: true });
      if (!user || user.status !== 'active') {
        const reason = !user ? 'no_user' : user.wecom_left_at ? 'left' : 'disabled';
        await failed(userid, reason, user ? Number(user.id) : null);
        const message = !user ? 'no console account belongs to this WeCom member yet: an admin maps their department to a store' : 'this account is disabled';
        throw new AppError('FORBIDDEN', message, { reason });
      }
      return auth.startSession(user, client, 'wecom');
    },
  };
}

export type WecomLoginService = ReturnType<typeof createWecomLoginService>;
