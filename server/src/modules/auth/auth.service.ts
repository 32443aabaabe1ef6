import type { Models } from '../../core/db/models';
import { AppError } from '../../core/errors';
import type { Actor } from '../access/actor';
import type { MenuRegistry } from '../access/menus';
import type { AuditService } from '../audit/audit.service';
import type { UserRow } from '../org/org.models';
import type { LoginThrottle } from './login-throttle';
import { verifyPassword } from './password';
import type { SessionService } from './session.service';

export interface LoginClient {
  ip: string;
  userAgent?: string;
}

export function createAuthService(deps: { models: Models; sessions: SessionService; throttle: LoginThrottle; audit: AuditService; menus: MenuRegistry }) {
  const { models, sessions, throttle, audit, menus } = deps;

  async function summaryOf(userId: number) {
    const user = await models.User.findByPk(userId, { raw: true });
    if (!user) throw new AppError('UNAUTHENTICATED', 'your account no longer exists');
    const role = await models.Role.findByPk(user.role_id, { raw: true });
    return {
      id: Number(user.id),
      username: user.username,
      displayName: user.display_name,
      locale: user.locale === 'en-US' ? ('en-US' as const) : ('zh-CN' as const),
      role: { id: Number(role?.id), code: role?.code ?? '', name: role?.name ?? '' },
      dataScope: (role?.data_scope ?? 'self') as 'all' | 'region' | 'store' | 'self',
      regionId: user.region_id === null ? null : Number(user.region_id),
      storeId: user.store_id === null ? null : Number(user.store_id),
    };
  }

  /** Issues a session to a user already proven to be who they are (password, WeCom); the reply of every sign-in. */
  async function startSession(user: Pick<UserRow, 'id' | 'username' | 'store_id'>, client: LoginClient, method: 'password' | 'wecom') {
    const session = await sessions.issue(Number(user.id), client);
    await models.User.update({ last_login_at: new Date() }, { where: { id: user.id } });
    await audit.record({
      action: 'auth.login',
      targetType: 'session',
      targetId: session.sessionId,
      storeId: user.store_id === null ? null : Number(user.store_id),
      actor: { id: Number(user.id), name: user.username },
      ...(method !== 'password' && { after: { method } }),
    });
    return { token: session.token, expiresAt: session.expiresAt.toISOString(), user: await summaryOf(Number(user.id)) };
  }

  return {
    async login(username: string, password: string, client: LoginClient) {
      await throttle.admit(client.ip, username);
      const user = await models.User.findOne({ where: { username }, raw: true });
      const passwordMatches = await verifyPassword(password, user?.password_hash);
      if (!user || !passwordMatches || user.status !== 'active') {
        await audit.record({ action: 'auth.login_failed', targetType: 'user', targetId: user?.id ?? null, actor: { id: null, name: username.slice(0, 128) } });
        throw new AppError('INVALID_CREDENTIALS', 'wrong username or password');
      }
      await throttle.succeeded(username);
      return startSession(user, client, 'password');
    },

    startSession,

    async logout(actor: Actor): Promise<void> {
      await sessions.revoke(actor.sessionId);
      await audit.record({ action: 'auth.logout', targetType: 'session', targetId: actor.sessionId });
    },

    async me(actor: Actor) {
      return { user: await summaryOf(actor.userId), permissions: [...actor.permissions].sort(), menus: await menus.visibleTo(actor) };
    },

    async setLocale(actor: Actor, locale: 'zh-CN' | 'en-US') {
      const before = await summaryOf(actor.userId);
      await models.User.update({ locale }, { where: { id: actor.userId } });
      await audit.record({ action: 'user.locale_changed', targetType: 'user', targetId: actor.userId, storeId: actor.storeId, before: { locale: before.locale }, after: { locale } });
      return summaryOf(actor.userId);
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
