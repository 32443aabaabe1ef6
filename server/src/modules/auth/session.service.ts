import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { Op } from 'sequelize';
import type { Models } from '../../core/db/models';
import type { Actor } from '../access/actor';
import { isPermission } from '../access/permissions';
import { dataScopes, type DataScope } from '../access/roles';

export interface IssuedSession {
  token: string;
  sessionId: string;
  expiresAt: Date;
}

/**
 * Opaque bearer tokens. Only an HMAC of the token is stored, in the database every instance shares,
 * so a logout or revocation on one instance is refused by all of them at once.
 */
export function createSessionService(deps: { models: Models; tokenKey: Buffer; ttlHours: number }) {
  const { models, tokenKey, ttlHours } = deps;
  const hashToken = (token: string) => createHmac('sha256', tokenKey).update(token).digest('hex');

  async function storesVisibleTo(scope: DataScope, regionId: number | null, storeId: number | null): Promise<number[] | null> {
    if (scope === 'all') return null;
    if (scope === 'region') {
      if (regionId === null) return [];
      const stores = await models.Store.findAll({ where: { region_id: regionId }, attributes: ['id'], raw: true });
      return stores.map((s) => Number(s.id));
    }
    return storeId === null ? [] : [storeId];
  }

  return {
    async issue(userId: number, client: { ip?: string; userAgent?: string }): Promise<IssuedSession> {
      const token = randomBytes(32).toString('base64url');
      const now = new Date();
      const expiresAt = new Date(now.getTime() + ttlHours * 3600_000);
      const sessionId = randomUUID();
      await models.Session.create({
        id: sessionId,
        user_id: userId,
        token_hash: hashToken(token),
        ip: client.ip ?? null,
        user_agent: client.userAgent?.slice(0, 255) ?? null,
        created_at: now,
        expires_at: expiresAt,
      });
      return { token, sessionId, expiresAt };
    },

    /** The actor behind a token, or null when it is unknown, expired, revoked or its user is disabled. */
    async resolve(token: string): Promise<Actor | null> {
      const session = await models.Session.findOne({ where: { token_hash: hashToken(token) }, raw: true });
      if (!session || session.revoked_at || new Date(session.expires_at) <= new Date()) return null;
      const user = await models.User.findByPk(session.user_id, { raw: true });
      if (!user || user.status !== 'active') return null;
      const role = await models.Role.findByPk(user.role_id, { raw: true });
      if (!role) return null;
      const dataScope = (dataScopes as readonly string[]).includes(role.data_scope) ? (role.data_scope as DataScope) : 'self';
      const regionId = user.region_id === null ? null : Number(user.region_id);
      const storeId = user.store_id === null ? null : Number(user.store_id);
      const permissions = (JSON.parse(role.permissions) as string[]).filter(isPermission);
      return {
        userId: Number(user.id),
        username: user.username,
        displayName: user.display_name,
        roleId: Number(role.id),
        roleCode: role.code,
        permissions: new Set(permissions),
        dataScope,
        regionId,
        storeId,
        storeIds: await storesVisibleTo(dataScope, regionId, storeId),
        sessionId: session.id,
      };
    },

    async revoke(sessionId: string): Promise<void> {
      await models.Session.update({ revoked_at: new Date() }, { where: { id: sessionId, revoked_at: null } });
    },

    async revokeAllForUser(userId: number): Promise<number> {
      const [count] = await models.Session.update({ revoked_at: new Date() }, { where: { user_id: userId, revoked_at: null } });
      return count;
    },

    async purgeExpired(): Promise<number> {
      const cutoff = new Date(Date.now() - 24 * 3600_000);
      return models.Session.destroy({ where: { [Op.or]: [{ expires_at: { [Op.lt]: new Date() } }, { revoked_at: { [Op.lt]: cutoff } }] } });
    },
  };
}

export type SessionService = ReturnType<typeof createSessionService>;
