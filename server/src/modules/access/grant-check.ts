import { AppError } from '../../core/errors';
import type { Actor } from './actor';
import { dataScopes, scopeWithin, type DataScope } from './roles';

export interface GrantableRole {
  code: string;
  permissions: readonly string[];
  dataScope: string;
}

/**
 * Nobody hands out more than they hold: a role may be granted, edited or its holders managed only by
 * someone who holds every one of its permissions and sees at least as far as its data scope.
 */
export function assertMayGrant(actor: Actor, role: GrantableRole, what = `role ${role.code}`): void {
  const notHeld = role.permissions.filter((code) => !actor.permissions.has(code));
  if (notHeld.length) throw new AppError('FORBIDDEN', `${what} has permissions you do not hold: ${notHeld.join(', ')}`, { permissions: notHeld });
  const scope = (dataScopes as readonly string[]).includes(role.dataScope) ? (role.dataScope as DataScope) : 'all';
  if (!scopeWithin(scope, actor.dataScope)) throw new AppError('FORBIDDEN', `${what} sees further (${scope}) than you do (${actor.dataScope})`);
}
