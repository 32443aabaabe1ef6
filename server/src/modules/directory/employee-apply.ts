import { randomBytes } from 'node:crypto';
import type { Transaction } from 'sequelize';
import type { Models } from '../../core/db/models';
import type { AuditService } from '../audit/audit.service';
import type { SessionService } from '../auth/session.service';
import { reassignCustomerStores, type StoreChange } from '../customers/customer-store-assignment';
import type { TimelineWriter } from '../customers/customer-timeline';
import type { UserRow } from '../org/org.models';
import { resolveMapping, type DirectorySnapshot, type ResolvedMapping } from './directory-mapping';
import type { WecomEmployeeRow, WecomEmployeeStatus } from './directory.models';

/** An employee as WeCom describes them (user/get, user/list, or a change_contact event). */
export interface EmployeeProfile {
  userid: string;
  name: string;
  departmentIds: number[];
  mainDepartmentId: number | null;
  position: string | null;
  status: WecomEmployeeStatus;
}

export type ApplyResult = 'created' | 'updated' | 'disabled' | 'left' | 'unchanged' | 'unmapped';

export interface ApplyContext {
  tx: Transaction;
  snapshot: DirectorySnapshot;
  /** The full sync run that saw the employee, if any. */
  runId?: number;
  /** Makes timeline entries idempotent per origin: `run:<id>`, `cb:<callbackId>`, `mapping:<…>`. */
  origin: string;
}

export interface ApplyOutcome {
  result: ApplyResult;
  customersMoved: number;
}

/** WeCom employees sign in through WeCom only: no password can ever match this (it is no bcrypt hash). */
const wecomOnlyPassword = () => `!wecom-sso:${randomBytes(12).toString('hex')}`;

export const profileOfRow = (row: WecomEmployeeRow, status: WecomEmployeeStatus = row.wecom_status): EmployeeProfile => ({
  userid: row.userid,
  name: row.name,
  departmentIds: JSON.parse(row.department_ids) as number[],
  mainDepartmentId: row.main_department_id === null ? null : Number(row.main_department_id),
  position: row.position,
  status,
});

const userView = (u: Pick<UserRow, 'display_name' | 'role_id' | 'store_id' | 'status' | 'wecom_left_at'>) => ({
  displayName: u.display_name,
  roleId: Number(u.role_id),
  storeId: u.store_id === null ? null : Number(u.store_id),
  status: u.status,
  wecomLeftAt: u.wecom_left_at ? new Date(u.wecom_left_at).toISOString() : null,
});

/**
 * Turns a WeCom employee into a user, and keeps that user in step: role and store from the mapping of
 * their main department (nearest mapped ancestor); disabled while they are disabled in WeCom, have left,
 * or sit in no mapped department. A role or store an admin changed on the user is kept. When the user's
 * store changes, their customers follow (unless locked) and each move is written to the timeline.
 */
export function createEmployeeApplier(deps: { models: Models; audit: AuditService; timeline: TimelineWriter; sessions: SessionService }) {
  const { models, audit, timeline, sessions } = deps;

  async function upsertMirror(profile: EmployeeProfile, ctx: ApplyContext): Promise<WecomEmployeeRow> {
    const { tx } = ctx;
    const existing = await models.WecomEmployee.findOne({ where: { userid: profile.userid }, transaction: tx, lock: tx.LOCK.UPDATE, raw: true });
    const values = {
      name: profile.name.slice(0, 128) || profile.userid,
      department_ids: JSON.stringify(profile.departmentIds),
      main_department_id: profile.mainDepartmentId,
      position: profile.position?.slice(0, 128) ?? null,
      wecom_status: profile.status,
      left_at: profile.status === 5 ? (existing?.left_at ?? new Date()) : null,
      ...(ctx.runId !== undefined && { seen_run_id: ctx.runId }),
    };
    if (existing) {
      await models.WecomEmployee.update(values, { where: { id: existing.id }, transaction: tx });
      return { ...existing, ...values };
    }
    return (await models.WecomEmployee.create({ userid: profile.userid, ...values }, { transaction: tx })).get({ plain: true });
  }

  async function freeUsername(userid: string, tx: Transaction): Promise<string> {
    const candidates = [userid, `wecom_${userid}`];
    for (let n = 2; candidates.length < 12; n += 1) candidates.push(`wecom_${userid}_${n}`);
    for (const raw of candidates) {
      const name = raw.slice(0, 64);
      if (!(await models.User.findOne({ where: { username: name }, attributes: ['id'], raw: true, transaction: tx }))) return name;
    }
    return `wecom_${randomBytes(8).toString('hex')}`;
  }

  async function moveCustomers(userid: string, ctx: ApplyContext): Promise<number> {
    const changes: StoreChange[] = await reassignCustomerStores(models, { wecomUserids: [userid] }, ctx.tx);
    if (!changes.length) return 0;
    const name = (id: number | null) => (id === null ? '—' : (ctx.snapshot.storeNames.get(id) ?? `#${id}`));
    await timeline.record(
      changes.map((c) => ({
        customerId: c.customerId,
        storeId: c.toStoreId,
        kind: 'store.changed',
        summary: `${name(c.fromStoreId)} → ${name(c.toStoreId)}`,
        payload: { fromStoreId: c.fromStoreId, toStoreId: c.toStoreId, reason: 'employee_store_changed', wecomUserid: userid },
        wecomUserid: userid,
        dedupeKey: `${ctx.origin}:store:${c.customerId}:${c.toStoreId}`,
      })),
      ctx.tx,
    );
    return changes.length;
  }

  async function linkFollows(userid: string, userId: number, tx: Transaction) {
    await models.CustomerFollow.update({ user_id: userId }, { where: { wecom_userid: userid, user_id: null }, transaction: tx });
  }

  async function createUser(emp: WecomEmployeeRow, mapping: ResolvedMapping, ctx: ApplyContext): Promise<ApplyOutcome> {
    const { tx } = ctx;
    const created = (
      await models.User.create(
        {
          username: await freeUsername(emp.userid, tx),
          display_name: emp.name,
          password_hash: wecomOnlyPassword(),
          role_id: mapping.roleId,
          store_id: mapping.storeId,
          region_id: mapping.regionId,
          wecom_userid: emp.userid,
          status: emp.wecom_status === 2 ? 'disabled' : 'active',
        },
        { transaction: tx },
      )
    ).get({ plain: true });
    await models.WecomEmployee.update(
      { user_id: created.id, applied_role_id: mapping.roleId, applied_store_id: mapping.storeId, disabled_by_sync: created.status === 'disabled' },
      { where: { id: emp.id }, transaction: tx },
    );
    await audit.record({ action: 'user.created', targetType: 'user', targetId: created.id, storeId: mapping.storeId, after: { username: created.username, wecomUserid: emp.userid, ...userView(created) } }, tx);
    await linkFollows(emp.userid, Number(created.id), tx);
    return { result: 'created', customersMoved: mapping.storeId === null ? 0 : await moveCustomers(emp.userid, ctx) };
  }

  async function updateUser(user: UserRow, emp: WecomEmployeeRow, mapping: ResolvedMapping | null, ctx: ApplyContext): Promise<ApplyOutcome> {
    const { tx } = ctx;
    const status = emp.wecom_status;
    const firstLink = emp.user_id === null || Number(emp.user_id) !== Number(user.id);
    // A user linked to WeCom for the first time keeps the role and store it had: those count as an admin's choice.
    let appliedRole = firstLink ? (mapping?.roleId ?? null) : emp.applied_role_id === null ? null : Number(emp.applied_role_id);
    let appliedStore = firstLink ? (mapping?.storeId ?? null) : emp.applied_store_id === null ? null : Number(emp.applied_store_id);
    const changes: Partial<UserRow> = {};
    const currentStore = user.store_id === null ? null : Number(user.store_id);
    if (mapping && status !== 5) {
      if (Number(user.role_id) === appliedRole || appliedRole === null) {
        if (mapping.roleId !== Number(user.role_id)) changes.role_id = mapping.roleId;
        appliedRole = mapping.roleId;
      }
      if (currentStore === appliedStore) {
        if (mapping.storeId !== currentStore) Object.assign(changes, { store_id: mapping.storeId, region_id: mapping.regionId });
        appliedStore = mapping.storeId;
      }
    }
    let disabledBySync = emp.disabled_by_sync;
    // Out of every mapped department: only a user the directory placed is disabled, never one an admin linked.
    const unmapped = !mapping && !firstLink && emp.applied_role_id !== null;
    const shouldDisable = status === 5 || status === 2 || unmapped;
    if (shouldDisable && user.status === 'active') {
      changes.status = 'disabled';
      disabledBySync = true;
    } else if (!shouldDisable && user.status === 'disabled' && emp.disabled_by_sync) {
      changes.status = 'active';
      disabledBySync = false;
    }
    if (status === 5 && !user.wecom_left_at) changes.wecom_left_at = emp.left_at ?? new Date();
    if (status !== 5 && user.wecom_left_at) changes.wecom_left_at = null;
    if (emp.name && emp.name !== user.display_name) changes.display_name = emp.name;

    await models.WecomEmployee.update(
      { user_id: user.id, applied_role_id: appliedRole, applied_store_id: appliedStore, disabled_by_sync: disabledBySync },
      { where: { id: emp.id }, transaction: tx },
    );
    await linkFollows(emp.userid, Number(user.id), tx);
    if (!Object.keys(changes).length) return { result: 'unchanged', customersMoved: 0 };

    await models.User.update(changes, { where: { id: user.id }, transaction: tx });
    const after = { ...user, ...changes };
    await audit.record({ action: 'user.updated', targetType: 'user', targetId: user.id, storeId: after.store_id, before: userView(user), after: userView(after) }, tx);
    if (changes.status === 'disabled' || changes.role_id !== undefined) {
      const userId = Number(user.id);
      tx.afterCommit(() => void sessions.revokeAllForUser(userId).catch(() => undefined));
    }
    const customersMoved = changes.store_id !== undefined ? await moveCustomers(emp.userid, ctx) : 0;
    const result: ApplyResult = status === 5 && changes.wecom_left_at ? 'left' : changes.status === 'disabled' ? 'disabled' : 'updated';
    return { result, customersMoved };
  }

  async function userOf(emp: WecomEmployeeRow, tx: Transaction): Promise<UserRow | null> {
    const byLink = emp.user_id === null ? null : await models.User.findByPk(emp.user_id, { raw: true, transaction: tx, lock: tx.LOCK.UPDATE });
    return byLink ?? (await models.User.findOne({ where: { wecom_userid: emp.userid }, raw: true, transaction: tx, lock: tx.LOCK.UPDATE }));
  }

  return {
    /** Mirrors the employee and creates or updates their user. Idempotent: the same profile twice changes nothing. */
    async apply(profile: EmployeeProfile, ctx: ApplyContext): Promise<ApplyOutcome> {
      const emp = await upsertMirror(profile, ctx);
      const mapping = resolveMapping(ctx.snapshot, emp.main_department_id === null ? null : Number(emp.main_department_id), profile.departmentIds);
      const user = await userOf(emp, ctx.tx);
      if (user) return updateUser(user, emp, mapping, ctx);
      // No account for someone who left, or whose department no mapping covers (yet).
      if (profile.status === 5) return { result: 'unchanged', customersMoved: 0 };
      if (!mapping) return { result: 'unmapped', customersMoved: 0 };
      return createUser(emp, mapping, ctx);
    },

    /** The employee is gone from WeCom (deleted, or left): their user is disabled and marked as left. */
    async markLeft(userid: string, ctx: ApplyContext): Promise<ApplyOutcome> {
      const row = await models.WecomEmployee.findOne({ where: { userid }, raw: true, transaction: ctx.tx });
      if (row) return this.apply(profileOfRow(row, 5), { ...ctx, runId: undefined });
      const user = await models.User.findOne({ where: { wecom_userid: userid }, raw: true, transaction: ctx.tx });
      if (!user) return { result: 'unchanged', customersMoved: 0 };
      return this.apply({ userid, name: user.display_name, departmentIds: [], mainDepartmentId: null, position: null, status: 5 }, { ...ctx, runId: undefined });
    },

    /** WeCom changed an employee's userid: every reference follows (idempotent: nothing left under the old id). */
    async renameUserid(from: string, to: string, tx: Transaction): Promise<void> {
      if (from === to) return;
      const target = await models.WecomEmployee.findOne({ where: { userid: to }, attributes: ['id'], raw: true, transaction: tx });
      if (!target) await models.WecomEmployee.update({ userid: to }, { where: { userid: from }, transaction: tx });
      const taken = await models.User.findOne({ where: { wecom_userid: to }, attributes: ['id'], raw: true, transaction: tx });
      if (!taken) {
        const user = await models.User.findOne({ where: { wecom_userid: from }, raw: true, transaction: tx });
        if (user) {
          await models.User.update({ wecom_userid: to }, { where: { id: user.id }, transaction: tx });
          await audit.record({ action: 'user.wecom_userid_changed', targetType: 'user', targetId: user.id, storeId: user.store_id, before: { wecomUserid: from }, after: { wecomUserid: to } }, tx);
        }
      }
      await models.CustomerFollow.update({ wecom_userid: to }, { where: { wecom_userid: from }, transaction: tx });
      await models.CustomerTag.update({ wecom_userid: to }, { where: { wecom_userid: from }, transaction: tx });
      await models.GroupChat.update({ owner_wecom_userid: to }, { where: { owner_wecom_userid: from }, transaction: tx });
      await models.GroupChatMember.update({ member_id: to }, { where: { member_id: from, member_type: 1 }, transaction: tx });
    },
  };
}

export type EmployeeApplier = ReturnType<typeof createEmployeeApplier>;
