import { Op, type WhereOptions } from 'sequelize';
import type { Database } from '../../core/db/database';
import { findPage } from '../../core/db/find-page';
import type { Models } from '../../core/db/models';
import { AppError, notFound } from '../../core/errors';
import type { Actor } from '../access/actor';
import { assertStoreInScope } from '../access/data-scope';
import { assertMayGrant } from '../access/grant-check';
import type { AuditService } from '../audit/audit.service';
import type { SyncRuns } from '../wecom-sync/sync-runs';
import { subtreeOf } from './department-mirror';
import { loadSnapshot, nearestMapped } from './directory-mapping';
import type { WecomDepartmentRow } from './directory.models';
import { profileOfRow, type EmployeeApplier } from './employee-apply';
import type { EmployeeQuery, MappingBody } from './directory.schemas';

export interface DepartmentNode {
  wecomId: number;
  name: string;
  parentId: number | null;
  order: number;
  visible: boolean;
  mapping: { storeId: number | null; storeName: string | null; roleId: number; roleName: string } | null;
  /** The mapping in force here: this department's own or the nearest mapped ancestor's. */
  effective: { fromWecomId: number; storeId: number | null; roleId: number } | null;
  employeeCount: number;
  children: DepartmentNode[];
}

/** The department-to-store mapping admins edit, the mirrored employees, and a way to start a sync. */
export function createDirectoryService(deps: { db: Database; models: Models; audit: AuditService; syncRuns: SyncRuns; applier: EmployeeApplier }) {
  const { db, models, audit, syncRuns, applier } = deps;

  async function department(wecomId: number): Promise<WecomDepartmentRow> {
    const row = await models.WecomDepartment.findOne({ where: { wecom_id: wecomId, deleted_at: null }, raw: true });
    if (!row) throw notFound('department', wecomId);
    return row;
  }

  const mappingView = (d: Pick<WecomDepartmentRow, 'store_id' | 'role_id'>) => ({ storeId: d.store_id === null ? null : Number(d.store_id), roleId: d.role_id === null ? null : Number(d.role_id) });

  /** Writes the mapping and re-applies it to every employee whose main department is in the subtree. */
  async function writeMapping(wecomId: number, next: { store_id: number | null; role_id: number | null }) {
    const before = await department(wecomId);
    return db.transaction(async (tx) => {
      await models.WecomDepartment.update(next, { where: { id: before.id }, transaction: tx });
      await audit.record(
        { action: next.role_id === null ? 'directory.mapping_cleared' : 'directory.mapping_set', targetType: 'wecom_department', targetId: wecomId, storeId: next.store_id, before: mappingView(before), after: mappingView(next) },
        tx,
      );
      const snapshot = await loadSnapshot(models, tx);
      const rows = await models.WecomEmployee.findAll({ where: { main_department_id: [...subtreeOf(snapshot, wecomId)] }, order: [['id', 'ASC']], raw: true, transaction: tx });
      const applied = { created: 0, updated: 0, disabled: 0, left: 0, unmapped: 0, unchanged: 0, customersMoved: 0 };
      const origin = `mapping:${wecomId}:${Date.now()}`;
      for (const row of rows) {
        const outcome = await applier.apply(profileOfRow(row), { tx, snapshot, origin });
        applied[outcome.result] += 1;
        applied.customersMoved += outcome.customersMoved;
      }
      return { wecomId, ...mappingView(next), applied };
    });
  }

  return {
    async tree(): Promise<DepartmentNode[]> {
      const snapshot = await loadSnapshot(models);
      const roles = new Map((await models.Role.findAll({ attributes: ['id', 'name'], raw: true })).map((r) => [Number(r.id), r.name]));
      const counts = new Map<number, number>();
      for (const e of await models.WecomEmployee.findAll({ where: { wecom_status: { [Op.ne]: 5 } }, attributes: ['main_department_id'], raw: true })) {
        if (e.main_department_id !== null) counts.set(Number(e.main_department_id), (counts.get(Number(e.main_department_id)) ?? 0) + 1);
      }
      const nodes = new Map<number, DepartmentNode>();
      const sorted = [...snapshot.departments.values()].sort((a, b) => Number(b.sort_order) - Number(a.sort_order) || Number(a.wecom_id) - Number(b.wecom_id));
      for (const d of sorted) {
        const id = Number(d.wecom_id);
        const storeId = d.store_id === null ? null : Number(d.store_id);
        const effective = nearestMapped(snapshot, id);
        nodes.set(id, {
          wecomId: id,
          name: d.name,
          parentId: d.parent_wecom_id === null ? null : Number(d.parent_wecom_id),
          order: Number(d.sort_order),
          visible: Boolean(d.visible),
          mapping: d.role_id === null ? null : { storeId, storeName: storeId === null ? null : (snapshot.storeNames.get(storeId) ?? null), roleId: Number(d.role_id), roleName: roles.get(Number(d.role_id)) ?? '' },
          effective: effective ? { fromWecomId: Number(effective.wecom_id), storeId: effective.store_id === null ? null : Number(effective.store_id), roleId: Number(effective.role_id) } : null,
          employeeCount: counts.get(id) ?? 0,
          children: [],
        });
      }
      const roots: DepartmentNode[] = [];
      for (const node of nodes.values()) {
        const parent = node.parentId === null ? undefined : nodes.get(node.parentId);
        if (parent) parent.children.push(node);
        else roots.push(node);
      }
      return roots;
    },

    async setMapping(actor: Actor, wecomId: number, body: MappingBody) {
      const role = await models.Role.findByPk(body.roleId, { raw: true });
      if (!role) throw new AppError('VALIDATION_FAILED', `role ${body.roleId} does not exist`, [{ path: 'body.roleId', message: 'no such role' }]);
      assertMayGrant(actor, { code: role.code, permissions: JSON.parse(role.permissions) as string[], dataScope: role.data_scope });
      if (body.storeId !== null) {
        if (!(await models.Store.findByPk(body.storeId, { raw: true })))
          throw new AppError('VALIDATION_FAILED', `store ${body.storeId} does not exist`, [{ path: 'body.storeId', message: 'no such store' }]);
        assertStoreInScope(actor, body.storeId);
      } else if (role.data_scope !== 'all') {
        throw new AppError('VALIDATION_FAILED', `role ${role.code} works in a store: choose the store`, [{ path: 'body.storeId', message: 'required for this role' }]);
      }
      return writeMapping(wecomId, { store_id: body.storeId, role_id: body.roleId });
    },

    async clearMapping(actor: Actor, wecomId: number) {
      const before = await department(wecomId);
      if (before.store_id !== null) assertStoreInScope(actor, Number(before.store_id), 'params.wecomId');
      return writeMapping(wecomId, { store_id: null, role_id: null });
    },

    async startSync() {
      const run = await syncRuns.start('directory', 'manual');
      await audit.record({ action: 'directory.sync_started', targetType: 'sync_run', targetId: run.id });
      return run;
    },

    async lastRun() {
      const run = (await syncRuns.list({ kind: 'directory' }, { offset: 0, limit: 1 })).rows[0];
      if (!run) return null;
      return {
        id: Number(run.id),
        status: run.status,
        trigger: run.trigger,
        processed: run.processed,
        report: run.report ? (JSON.parse(run.report) as Record<string, unknown>) : null,
        error: run.error,
        startedAt: new Date(run.started_at).toISOString(),
        finishedAt: run.finished_at ? new Date(run.finished_at).toISOString() : null,
      };
    },

    async employees(query: EmployeeQuery, range: { offset: number; limit: number }) {
      const where: WhereOptions[] = [];
      if (query.q) where.push({ [Op.or]: [{ userid: { [Op.like]: `%${query.q}%` } }, { name: { [Op.like]: `%${query.q}%` } }] });
      if (query.departmentId !== undefined) where.push({ main_department_id: query.departmentId });
      if (query.state === 'left') where.push({ wecom_status: 5 });
      if (query.state === 'linked') where.push({ user_id: { [Op.ne]: null }, wecom_status: { [Op.ne]: 5 } });
      if (query.state === 'unlinked') where.push({ user_id: null, wecom_status: { [Op.ne]: 5 } });
      const { rows, count } = await findPage(models.WecomEmployee, { where: { [Op.and]: where }, order: [['id', 'ASC']], offset: range.offset, limit: range.limit, raw: true });
      const users = new Map(
        (await models.User.findAll({ where: { id: rows.flatMap((r) => (r.user_id === null ? [] : [r.user_id])) }, raw: true })).map((u) => [Number(u.id), u]),
      );
      const snapshot = await loadSnapshot(models);
      const roles = new Map((await models.Role.findAll({ attributes: ['id', 'name', 'code'], raw: true })).map((r) => [Number(r.id), r]));
      const items = rows.map((r) => {
        const user = r.user_id === null ? undefined : users.get(Number(r.user_id));
        const departmentIds = JSON.parse(r.department_ids) as number[];
        const role = user ? roles.get(Number(user.role_id)) : undefined;
        return {
          userid: r.userid,
          name: r.name,
          position: r.position,
          wecomStatus: r.wecom_status,
          leftAt: r.left_at ? new Date(r.left_at).toISOString() : null,
          mainDepartmentId: r.main_department_id === null ? null : Number(r.main_department_id),
          departments: departmentIds.map((id) => ({ wecomId: id, name: snapshot.departments.get(id)?.name ?? null })),
          user: user
            ? {
                id: Number(user.id),
                username: user.username,
                status: user.status,
                role: { id: Number(user.role_id), code: role?.code ?? '', name: role?.name ?? '' },
                storeId: user.store_id === null ? null : Number(user.store_id),
                storeName: user.store_id === null ? null : (snapshot.storeNames.get(Number(user.store_id)) ?? null),
              }
            : null,
        };
      });
      return { items, total: count };
    },
  };
}

export type DirectoryService = ReturnType<typeof createDirectoryService>;
