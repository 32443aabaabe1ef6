import { randomBytes } from 'node:crypto';
import type { SandboxApp } from './sandbox.types';

/** Access tokens, JS-SDK tickets and OAuth codes, all timed by the injected clock. */

export interface AccessToken {
  token: string;
  app: SandboxApp;
  expiresAt: number;
  revoked: boolean;
}

export interface OauthCode {
  code: string;
  userid?: string;
  openid?: string;
  externalUserid?: string;
  expiresAt: number;
  used: boolean;
}

export type TokenCheck = { ok: true; token: AccessToken } | { ok: false; reason: 'unknown' | 'expired' };

const opaque = (bytes: number) => randomBytes(bytes).toString('base64url');

export function createCredentialState(clock: () => number) {
  const tokens = new Map<string, AccessToken>();
  const current = new Map<SandboxApp, AccessToken>();
  const tickets = new Map<string, { ticket: string; expiresAt: number }>();
  const oauthCodes = new Map<string, OauthCode>();

  return {
    /** The app's live token (same token until it expires or is revoked, like WeCom), or a new one. */
    issueToken(app: SandboxApp, ttlSeconds: number): AccessToken {
      const live = current.get(app);
      // Within its lifetime the same token is returned; in its last second a new one is issued, so the
      // whole seconds reported as expires_in never outlive the token.
      if (live && !live.revoked && live.expiresAt - clock() >= 1000) return live;
      const token: AccessToken = { token: opaque(96), app, expiresAt: clock() + ttlSeconds * 1000, revoked: false };
      tokens.set(token.token, token);
      current.set(app, token);
      return token;
    },
    checkToken(value: string): TokenCheck {
      const token = tokens.get(value);
      if (!token) return { ok: false, reason: 'unknown' };
      if (token.revoked || token.expiresAt <= clock()) return { ok: false, reason: 'expired' };
      return { ok: true, token };
    },
    /** Invalidates tokens early (all apps when app is absent), as WeCom may do at any time. */
    revokeTokens(app?: SandboxApp): number {
      let count = 0;
      for (const t of tokens.values()) {
        if (!t.revoked && (!app || t.app === app)) {
          t.revoked = true;
          count += 1;
        }
      }
      return count;
    },
    ticket(kind: 'corp' | 'agent', ttlSeconds: number) {
      const live = tickets.get(kind);
      if (live && live.expiresAt > clock()) return live;
      const fresh = { ticket: opaque(64), expiresAt: clock() + ttlSeconds * 1000 };
      tickets.set(kind, fresh);
      return fresh;
    },
    issueOauthCode(who: Pick<OauthCode, 'userid' | 'openid' | 'externalUserid'>): OauthCode {
      const code: OauthCode = { ...who, code: opaque(32), expiresAt: clock() + 5 * 60_000, used: false };
      oauthCodes.set(code.code, code);
      return code;
    },
    /** Single use, 5 minutes. */
    redeemOauthCode(value: string): OauthCode | undefined {
      const code = oauthCodes.get(value);
      if (!code || code.used || code.expiresAt <= clock()) return undefined;
      code.used = true;
      return code;
    },
    tokenCount: () => tokens.size,
  };
}

export type CredentialState = ReturnType<typeof createCredentialState>;
