import { forbidden } from '../../core/errors';
import type { Permission } from './permissions';
import type { DataScope } from './roles';

/** The authenticated caller, resolved once per request. */
export interface Actor {
  userId: number;
  username: string;
  displayName: string;
  roleId: number;
  roleCode: string;
  permissions: ReadonlySet<string>;
  dataScope: DataScope;
  regionId: number | null;
  storeId: number | null;
  /** Stores this actor may see; null means every store. */
  storeIds: readonly number[] | null;
  sessionId: string;
}

export const can = (actor: Actor, permission: Permission): boolean => actor.permissions.has(permission);

export function requirePermission(actor: Actor, permission: Permission): void {
  if (!can(actor, permission)) throw forbidden(permission);
}
