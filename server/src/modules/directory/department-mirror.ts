import { Op, type Transaction } from 'sequelize';
import type { Models } from '../../core/db/models';
import type { DirectorySnapshot } from './directory-mapping';

/** A department as WeCom describes it (department/list or a change_contact event). */
export interface DepartmentProfile {
  id: number;
  name?: string;
  parentid?: number;
  order?: number;
}

export type DepartmentResult = 'created' | 'updated' | 'unchanged';

/** Inserts or refreshes one mirrored department; a department seen again is visible and not deleted. */
export async function upsertDepartment(models: Models, dept: DepartmentProfile, tx: Transaction, runId?: number): Promise<DepartmentResult> {
  const existing = await models.WecomDepartment.findOne({ where: { wecom_id: dept.id }, raw: true, transaction: tx, lock: tx.LOCK.UPDATE });
  const values = {
    name: (dept.name ?? existing?.name ?? String(dept.id)).slice(0, 128),
    parent_wecom_id: dept.parentid !== undefined ? (dept.parentid === 0 || dept.parentid === dept.id ? null : dept.parentid) : (existing?.parent_wecom_id ?? null),
    sort_order: dept.order ?? existing?.sort_order ?? 0,
    visible: true,
    deleted_at: null,
  };
  if (!existing) {
    await models.WecomDepartment.create({ wecom_id: dept.id, ...values, ...(runId !== undefined && { seen_run_id: runId }) }, { transaction: tx });
    return 'created';
  }
  const changed =
    existing.name !== values.name ||
    (existing.parent_wecom_id === null ? null : Number(existing.parent_wecom_id)) !== values.parent_wecom_id ||
    Number(existing.sort_order) !== Number(values.sort_order) ||
    !existing.visible ||
    existing.deleted_at !== null;
  await models.WecomDepartment.update({ ...values, ...(runId !== undefined && { seen_run_id: runId }) }, { where: { id: existing.id }, transaction: tx });
  return changed ? 'updated' : 'unchanged';
}

/** WeCom deleted the department: it leaves the tree and its mapping goes with it. */
export async function markDepartmentDeleted(models: Models, wecomId: number, tx: Transaction): Promise<boolean> {
  const [count] = await models.WecomDepartment.update(
    { deleted_at: new Date(), store_id: null, role_id: null },
    { where: { wecom_id: wecomId, deleted_at: null }, transaction: tx },
  );
  return count > 0;
}

/** Departments a full run did not see: hidden from the app or deleted; kept (with their mapping) until WeCom says deleted. */
export async function hideUnseenDepartments(models: Models, runId: number, tx: Transaction): Promise<number> {
  const [count] = await models.WecomDepartment.update(
    { visible: false },
    { where: { deleted_at: null, visible: true, [Op.or]: [{ seen_run_id: null }, { seen_run_id: { [Op.ne]: runId } }] }, transaction: tx },
  );
  return count;
}

/** The department and every department below it. */
export function subtreeOf(snapshot: DirectorySnapshot, wecomId: number): Set<number> {
  const children = new Map<number, number[]>();
  for (const d of snapshot.departments.values()) {
    if (d.parent_wecom_id === null) continue;
    const parent = Number(d.parent_wecom_id);
    children.set(parent, [...(children.get(parent) ?? []), Number(d.wecom_id)]);
  }
  const out = new Set<number>([wecomId]);
  const queue = [wecomId];
  for (let i = 0; i < queue.length; i += 1) {
    for (const child of children.get(queue[i] as number) ?? []) {
      if (out.has(child)) continue;
      out.add(child);
      queue.push(child);
    }
  }
  return out;
}
