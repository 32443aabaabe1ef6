import type { Database } from '../../core/db/database';
import type { Models } from '../../core/db/models';
import { AppError, conflict, forbidden, notFound } from '../../core/errors';
import type { Actor } from '../access/actor';
import { assertMayGrant } from '../access/grant-check';
import { isPermission } from '../access/permissions';
import type { DataScope } from '../access/roles';
import type { AuditService } from '../audit/audit.service';
import type { RoleInput } from './org.schemas';
import type { RoleRow } from './org.models';

const permissionsOf = (row: RoleRow): string[] => JSON.parse(row.permissions) as string[];

const present = (row: RoleRow) => ({
  id: Number(row.id),
  code: row.code,
  name: row.name,
  builtin: Boolean(row.builtin),
  dataScope: row.data_scope as DataScope,
  permissions: permissionsOf(row),
});

/** The permission codes, checked against the catalogue, without repeats. */
function knownPermissions(permissions: string[]): string[] {
  const unknown = permissions.filter((code) => !isPermission(code));
  if (unknown.length) {
    throw new AppError(
      'VALIDATION_FAILED',
      `unknown permission codes: ${unknown.join(', ')}`,
      unknown.map((code) => ({ path: `body.permissions.${permissions.indexOf(code)}`, message: `unknown permission ${code}` })),
    );
  }
  return [...new Set(permissions)].sort();
}

/** Roles are company-wide. Built-in roles are fixed; custom roles are built from permission codes. */
export function createRoleService(deps: { db: Database; models: Models; audit: AuditService }) {
  const { db, models, audit } = deps;

  /** A custom role the actor may change: not built in, not their own, and within what they hold. */
  async function editableRole(actor: Actor, id: number) {
    const row = await models.Role.findByPk(id, { raw: true });
    if (!row) throw notFound('role', id);
    if (row.builtin) throw forbidden();
    if (Number(row.id) === actor.roleId) throw new AppError('FORBIDDEN', 'you cannot change your own role');
    assertMayGrant(actor, { code: row.code, permissions: permissionsOf(row), dataScope: row.data_scope });
    return row;
  }

  return {
    async list() {
      return (await models.Role.findAll({ order: [['builtin', 'DESC'], ['id', 'ASC']], raw: true })).map(present);
    },

    async create(actor: Actor, input: RoleInput) {
      const permissions = knownPermissions(input.permissions);
      assertMayGrant(actor, { code: input.code, permissions, dataScope: input.dataScope });
      return db.transaction(async (tx) => {
        const created = (
          await models.Role.create({ code: input.code, name: input.name, builtin: false, data_scope: input.dataScope, permissions: JSON.stringify(permissions) }, { transaction: tx })
        ).get({ plain: true });
        await audit.record({ action: 'role.created', targetType: 'role', targetId: created.id, after: present(created) }, tx);
        return present(created);
      });
    },

    async update(actor: Actor, id: number, input: Partial<Omit<RoleInput, 'code'>>) {
      const permissions = input.permissions ? knownPermissions(input.permissions) : undefined;
      return db.transaction(async (tx) => {
        const before = await editableRole(actor, id);
        assertMayGrant(actor, { code: before.code, permissions: permissions ?? permissionsOf(before), dataScope: input.dataScope ?? before.data_scope });
        const changes = {
          ...(input.name !== undefined && { name: input.name }),
          ...(input.dataScope !== undefined && { data_scope: input.dataScope }),
          ...(permissions && { permissions: JSON.stringify(permissions) }),
        };
        await models.Role.update(changes, { where: { id }, transaction: tx });
        const after = { ...before, ...changes };
        await audit.record({ action: 'role.updated', targetType: 'role', targetId: id, before: present(before), after: present(after) }, tx);
        return present(after);
      });
    },

    async remove(actor: Actor, id: number) {
      await db.transaction(async (tx) => {
        const before = await editableRole(actor, id);
        if (await models.User.count({ where: { role_id: id }, transaction: tx })) throw conflict('users still have this role: give them another role first');
        await models.Role.destroy({ where: { id }, transaction: tx });
        await audit.record({ action: 'role.deleted', targetType: 'role', targetId: id, before: present(before) }, tx);
      });
    },
  };
}

export type RoleService = ReturnType<typeof createRoleService>;
