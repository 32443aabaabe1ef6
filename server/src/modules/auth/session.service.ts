import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { Op, QueryTypes } from 'sequelize';
import type { Models } from '../../core/db/models';
import { REFERENCE_COPY_TTL_MS, referenceStampOf } from '../../core/db/reference-stamp';
import { createStatementBatcher } from '../../core/db/statement-batcher';
import { createStampedCache } from '../../core/kv/stamped-cache';
import type { Actor } from '../access/actor';
import { isPermission } from '../access/permissions';
import { dataScopes, type DataScope } from '../access/roles';

/** A live session of an active user, with the user's role: what `resolve` reads. */
interface ResolvedSession {
  token_hash: string;
  session_id: string;
  expires_at: Date | string;
  user_id: number;
  username: string;
  display_name: string;
  region_id: number | null;
  store_id: number | null;
  role_id: number;
  role_code: string;
  data_scope: string;
  permissions: string;
}

const RESOLVE_SQL = `SELECT s.token_hash, s.id AS session_id, s.expires_at, u.id AS user_id, u.username, u.display_name, u.region_id, u.store_id, r.id AS role_id, r.code AS role_code, r.data_scope, r.permissions
  FROM sessions s JOIN users u ON u.id = s.user_id JOIN roles r ON r.id = u.role_id
  WHERE s.token_hash IN (:tokenHashes) AND s.revoked_at IS NULL AND s.expires_at > :now AND u.status = 'active'`;

export interface IssuedSession {
  token: string;
  sessionId: string;
  expiresAt: Date;
}

/**
 * Opaque bearer tokens. Only an HMAC of the token is stored, in the database every instance shares,
 * so a logout or revocation on one instance is refused by all of them at once. Each instance keeps
 * the users its tokens resolved to under the reference-data stamp, which every change to sessions,
 * users, roles and stores renews: a request of a signed-in user usually costs the database nothing.
 */
export function createSessionService(deps: { models: Models; tokenKey: Buffer; ttlHours: number }) {
  const { models, tokenKey, ttlHours } = deps;
  const hashToken = (token: string) => createHmac('sha256', tokenKey).update(token).digest('hex');
  // Every signed-in request resolves its token: under load, those that arrive together share a statement.
  const sessionsByTokenHash = createStatementBatcher<string, ResolvedSession | undefined>(async (tokenHashes) => {
    const found = await models.Session.sequelize!.query<ResolvedSession>(RESOLVE_SQL, { type: QueryTypes.SELECT, replacements: { tokenHashes: [...new Set(tokenHashes)], now: new Date() } });
    const byHash = new Map(found.map((row) => [row.token_hash, row]));
    return tokenHashes.map((hash) => byHash.get(hash));
  });
  const actorsByTokenHash = createStampedCache<string, { actor: Actor; expiresAt: number }>(referenceStampOf(models), { max: 10_000, ttlMs: REFERENCE_COPY_TTL_MS });

  async function storesVisibleTo(scope: DataScope, regionId: number | null, storeId: number | null): Promise<number[] | null> {
    if (scope === 'all') return null;
    if (scope === 'region') {
      if (regionId === null) return [];
      const stores = await models.Store.findAll({ where: { region_id: regionId }, attributes: ['id'], raw: true });
      return stores.map((s) => Number(s.id));
    }
    return storeId === null ? [] : [storeId];
  }

  /** The actor behind a token hash, and until when its session lasts, as the database has them now. */
  async function readActor(tokenHash: string): Promise<{ actor: Actor; expiresAt: number } | null> {
    const found = await sessionsByTokenHash.submit(tokenHash);
    if (!found) return null;
    const dataScope = (dataScopes as readonly string[]).includes(found.data_scope) ? (found.data_scope as DataScope) : 'self';
    const regionId = found.region_id === null ? null : Number(found.region_id);
    const storeId = found.store_id === null ? null : Number(found.store_id);
    const permissions = (JSON.parse(found.permissions) as string[]).filter(isPermission);
    const actor: Actor = {
      userId: Number(found.user_id),
      username: found.username,
      displayName: found.display_name,
      roleId: Number(found.role_id),
      roleCode: found.role_code,
      permissions: new Set(permissions),
      dataScope,
      regionId,
      storeId,
      storeIds: await storesVisibleTo(dataScope, regionId, storeId),
      sessionId: found.session_id,
    };
    return { actor, expiresAt: new Date(found.expires_at).getTime() };
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

    /**
     * The actor behind a token, or null when it is unknown, expired, revoked or its user is disabled.
     * Every authenticated request asks: this instance's copy answers while the reference data is
     * unchanged; otherwise one statement, shared by the requests that arrive together.
     */
    async resolve(token: string): Promise<Actor | null> {
      const tokenHash = hashToken(token);
      const resolved = await actorsByTokenHash.get(tokenHash, () => readActor(tokenHash));
      return resolved && resolved.expiresAt > Date.now() ? resolved.actor : null;
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
