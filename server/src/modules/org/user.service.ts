import { Op, type Transaction, type WhereOptions } from 'sequelize';
import type { Database } from '../../core/db/database';
import type { Models } from '../../core/db/models';
import type { PiiField } from '../../core/crypto/pii-field';
import { AppError } from '../../core/errors';
import { can, type Actor } from '../access/actor';
import { assertStoreInScope } from '../access/data-scope';
import { assertMayGrant } from '../access/grant-check';
import { scopedQuery } from '../access/scoped-query';
import type { AuditService } from '../audit/audit.service';
import { hashPassword } from '../auth/password';
import type { SessionService } from '../auth/session.service';
import type { UserInput, UserPatch } from './org.schemas';
import type { UserRow } from './org.models';
import { orgNamesOf } from './org-names';

export const userScope = { store: 'store_id', region: 'region_id', owner: 'id' } as const;

export function createUserService(deps: { db: Database; models: Models; audit: AuditService; sessions: SessionService; phone: PiiField }) {
  const { db, models, audit, sessions, phone } = deps;
  const users = scopedQuery<UserRow>(models.User, userScope, 'user');

  const auditView = (row: UserRow) => ({
    username: row.username,
    displayName: row.display_name,
    roleId: Number(row.role_id),
    regionId: row.region_id === null ? null : Number(row.region_id),
    storeId: row.store_id === null ? null : Number(row.store_id),
    status: row.status,
    phone: phone.present(row as unknown as Record<string, unknown>, false),
  });

  async function present(actor: Actor, rows: UserRow[]) {
    const roles = new Map((await models.Role.findAll({ raw: true })).map((r) => [Number(r.id), r]));
    const storeNames = await orgNamesOf(models).stores(rows.map((r) => r.store_id));
    return rows.map((row) => {
      const role = roles.get(Number(row.role_id));
      return {
        id: Number(row.id),
        username: row.username,
        displayName: row.display_name,
        phone: phone.present(row as unknown as Record<string, unknown>, can(actor, 'customer:pii:read')),
        role: { id: Number(row.role_id), code: role?.code ?? '', name: role?.name ?? '' },
        regionId: row.region_id === null ? null : Number(row.region_id),
        storeId: row.store_id === null ? null : Number(row.store_id),
        storeName: row.store_id === null ? null : (storeNames.get(Number(row.store_id)) ?? null),
        status: row.status,
        lastLoginAt: row.last_login_at ? new Date(row.last_login_at).toISOString() : null,
        createdAt: new Date(row.created_at).toISOString(),
      };
    });
  }

  async function grantableRole(actor: Actor, roleId: number, tx?: Transaction) {
    const role = await models.Role.findByPk(roleId, { raw: true, transaction: tx });
    if (!role) throw new AppError('VALIDATION_FAILED', `role ${roleId} does not exist`, [{ path: 'body.roleId', message: 'no such role' }]);
    assertMayGrant(actor, { code: role.code, permissions: JSON.parse(role.permissions) as string[], dataScope: role.data_scope });
    return role;
  }

  /** Checks the role may be granted by this actor, and places the user: a store implies its region. */
  async function placement(actor: Actor, roleId: number, regionId: number | null | undefined, storeId: number | null | undefined, tx: Transaction) {
    const role = await grantableRole(actor, roleId, tx);
    if (storeId) {
      const store = await models.Store.findByPk(storeId, { raw: true, transaction: tx });
      if (!store) throw new AppError('VALIDATION_FAILED', `store ${storeId} does not exist`, [{ path: 'body.storeId', message: 'no such store' }]);
      assertStoreInScope(actor, storeId);
      return { role_id: roleId, store_id: storeId, region_id: Number(store.region_id) };
    }
    if (role.data_scope === 'store' || role.data_scope === 'self') {
      throw new AppError('VALIDATION_FAILED', `role ${role.code} works in one store: choose the store`, [{ path: 'body.storeId', message: 'required for this role' }]);
    }
    if (actor.dataScope !== 'all' && regionId !== actor.regionId) throw new AppError('FORBIDDEN', 'you can only place users in your own region');
    return { role_id: roleId, store_id: null, region_id: regionId ?? null };
  }

  return {
    async list(actor: Actor, filter: { q?: string; roleId?: number; storeId?: number }, range: { offset: number; limit: number }) {
      const where: WhereOptions = {};
      if (filter.roleId) Object.assign(where, { role_id: filter.roleId });
      if (filter.storeId) Object.assign(where, { store_id: filter.storeId });
      if (filter.q) Object.assign(where, { [Op.or]: [{ username: { [Op.like]: `%${filter.q}%` } }, { display_name: { [Op.like]: `%${filter.q}%` } }] });
      const { rows, total } = await users.page(actor, where, range, [['id', 'ASC']]);
      return { items: await present(actor, rows), total };
    },

    async get(actor: Actor, id: number) {
      return (await present(actor, [await users.byId(actor, id)]))[0];
    },

    async create(actor: Actor, input: UserInput) {
      const passwordHash = await hashPassword(input.password);
      return db.transaction(async (tx) => {
        const place = await placement(actor, input.roleId, input.regionId, input.storeId, tx);
        const created = (
          await models.User.create({ username: input.username, display_name: input.displayName, password_hash: passwordHash, ...place, ...phone.seal(input.phone) }, { transaction: tx })
        ).get({ plain: true });
        await audit.record({ action: 'user.created', targetType: 'user', targetId: created.id, storeId: place.store_id, after: auditView(created) }, tx);
        return (await present(actor, [created]))[0];
      });
    },

    async update(actor: Actor, id: number, input: UserPatch) {
      const passwordHash = input.password ? await hashPassword(input.password) : undefined;
      const result = await db.transaction(async (tx) => {
        const before = await users.byId(actor, id, tx);
        // Managing someone (password, status, role) requires holding at least what they hold.
        await grantableRole(actor, Number(before.role_id), tx);
        const moves = input.roleId !== undefined || input.storeId !== undefined || input.regionId !== undefined;
        const place = moves
          ? await placement(
              actor,
              input.roleId ?? Number(before.role_id),
              input.regionId !== undefined ? input.regionId : before.region_id,
              input.storeId !== undefined ? input.storeId : before.store_id,
              tx,
            )
          : {};
        if (Number(before.id) === actor.userId && (input.status === 'disabled' || input.roleId !== undefined)) {
          throw new AppError('FORBIDDEN', 'you cannot disable yourself or change your own role');
        }
        const changes = {
          ...place,
          ...(input.displayName !== undefined && { display_name: input.displayName }),
          ...(input.status !== undefined && { status: input.status }),
          ...(input.phone !== undefined && phone.seal(input.phone)),
          ...(passwordHash && { password_hash: passwordHash }),
        };
        await models.User.update(changes, { where: { id }, transaction: tx });
        const after = { ...before, ...changes } as UserRow;
        const diffAfter = { ...auditView(after), ...(passwordHash && { password: 'changed' }) };
        await audit.record({ action: 'user.updated', targetType: 'user', targetId: id, storeId: after.store_id, before: auditView(before), after: diffAfter }, tx);
        return { after, revoke: Boolean(passwordHash) || input.status === 'disabled' || input.roleId !== undefined };
      });
      if (result.revoke) await sessions.revokeAllForUser(id);
      return (await present(actor, [result.after]))[0];
    },

    async revokeSessions(actor: Actor, id: number) {
      const user = await users.byId(actor, id);
      await grantableRole(actor, Number(user.role_id));
      const revoked = await sessions.revokeAllForUser(id);
      await audit.record({ action: 'user.sessions_revoked', targetType: 'user', targetId: id, storeId: user.store_id, after: { revoked } });
      return { revoked };
    },
  };
}

export type UserService = ReturnType<typeof createUserService>;
