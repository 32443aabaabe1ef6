import { randomBytes } from 'node:crypto';
import type { Models } from '../core/db/models';
import type { Database } from '../core/db/database';
import { builtinRoles } from '../modules/access/roles';
import type { AuditService } from '../modules/audit/audit.service';
import { hashPassword } from '../modules/auth/password';

export const generatePassword = () => randomBytes(12).toString('base64url');

/**
 * What every installation needs before anyone can sign in: the built-in roles (kept in step with
 * the code), one company and the `admin` user. Returns the admin password only when it was just
 * generated, so it can be shown once.
 */
export async function bootstrap(deps: { db: Database; models: Models; audit: AuditService; adminPassword?: string; companyName?: string }) {
  const { db, models, audit } = deps;
  return db.transaction(async (tx) => {
    for (const role of builtinRoles) {
      const existing = await models.Role.findOne({ where: { code: role.code }, transaction: tx });
      const values = { name: role.name, builtin: true, data_scope: role.dataScope, permissions: JSON.stringify([...role.permissions].sort()) };
      if (!existing) await models.Role.create({ code: role.code, ...values }, { transaction: tx });
      else if (existing.get('permissions') !== values.permissions || existing.get('data_scope') !== values.data_scope) await existing.update(values, { transaction: tx });
    }
    if (!(await models.Company.count({ transaction: tx }))) {
      await models.Company.create({ name: deps.companyName ?? '示例家电服务有限公司' }, { transaction: tx });
    }
    if (await models.User.findOne({ where: { username: 'admin' }, transaction: tx })) return { generatedAdminPassword: null };
    const adminRole = await models.Role.findOne({ where: { code: 'admin' }, raw: true, transaction: tx });
    const password = deps.adminPassword ?? generatePassword();
    const admin = await models.User.create(
      { username: 'admin', display_name: '系统管理员', password_hash: await hashPassword(password), role_id: Number(adminRole?.id), region_id: null, store_id: null },
      { transaction: tx },
    );
    await audit.record({ action: 'user.created', targetType: 'user', targetId: Number(admin.get('id')), actor: { id: null, name: 'system' }, after: { username: 'admin', role: 'admin' } }, tx);
    return { generatedAdminPassword: deps.adminPassword ? null : password };
  });
}
