import type { Transaction } from 'sequelize';
import type { Models } from '../../core/db/models';
import type { WecomDepartmentRow } from './directory.models';

/** Where an employee lands: the store and role of the department mapping that applies to them. */
export interface ResolvedMapping {
  /** The mapped department the answer came from (the employee's own or an ancestor). */
  departmentWecomId: number;
  roleId: number;
  storeId: number | null;
  regionId: number | null;
}

/** Departments, store regions and roles, read once per sync or event to resolve many employees. */
export interface DirectorySnapshot {
  departments: Map<number, WecomDepartmentRow>;
  regionOfStore: Map<number, number>;
  storeNames: Map<number, string>;
}

export async function loadSnapshot(models: Models, tx?: Transaction): Promise<DirectorySnapshot> {
  const departments = await models.WecomDepartment.findAll({ where: { deleted_at: null }, raw: true, transaction: tx });
  const stores = await models.Store.findAll({ attributes: ['id', 'region_id', 'name'], raw: true, transaction: tx });
  return {
    departments: new Map(departments.map((d) => [Number(d.wecom_id), d])),
    regionOfStore: new Map(stores.map((s) => [Number(s.id), Number(s.region_id)])),
    storeNames: new Map(stores.map((s) => [Number(s.id), s.name])),
  };
}

/** The nearest mapped department at or above `wecomId`, walking up parents (cycle-safe). */
export function nearestMapped(snapshot: DirectorySnapshot, wecomId: number): WecomDepartmentRow | null {
  const visited = new Set<number>();
  let current = snapshot.departments.get(wecomId);
  while (current && !visited.has(Number(current.wecom_id))) {
    if (current.role_id !== null) return current;
    visited.add(Number(current.wecom_id));
    current = current.parent_wecom_id === null ? undefined : snapshot.departments.get(Number(current.parent_wecom_id));
  }
  return null;
}

/**
 * The mapping of the employee's main department (or its nearest mapped ancestor). When the main
 * department is unknown to us (the app cannot see it), the employee's other departments are tried in order.
 */
export function resolveMapping(snapshot: DirectorySnapshot, mainDepartmentId: number | null, departmentIds: readonly number[]): ResolvedMapping | null {
  const order = mainDepartmentId !== null ? [mainDepartmentId, ...departmentIds.filter((d) => d !== mainDepartmentId)] : [...departmentIds];
  const known = order.filter((d) => snapshot.departments.has(d));
  const start = known[0];
  if (start === undefined) return null;
  const mapped = nearestMapped(snapshot, start);
  if (!mapped || mapped.role_id === null) return null;
  const storeId = mapped.store_id === null ? null : Number(mapped.store_id);
  return {
    departmentWecomId: Number(mapped.wecom_id),
    roleId: Number(mapped.role_id),
    storeId,
    regionId: storeId === null ? null : (snapshot.regionOfStore.get(storeId) ?? null),
  };
}
