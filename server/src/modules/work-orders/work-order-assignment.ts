import { Op, UniqueConstraintError, type Transaction } from 'sequelize';
import type { Models } from '../../core/db/models';
import { selectRows } from '../../core/db/raw-rows';
import { assertUnreachable } from '../../core/errors';
import type { AssigneeRule } from '../workflows/flow-definition';
import { distanceMeters } from './geo';

export interface AssignmentTarget {
  id: number;
  store_id: number;
  lat: number | null;
  lng: number | null;
}

/** Who takes a node's task: a user, or a pool of a role's members in the order's store. */
export interface Assignment {
  assigneeUserId: number | null;
  poolRoleCode: string | null;
  strategy: AssigneeRule['strategy'] | 'unassigned';
  /** Metres from the order, for the nearest-technician strategy. */
  distanceM?: number;
}

const openStatuses = ['open', 'waiting_customer', 'waiting_parts'];
const pool = (roleCode: string, strategy: Assignment['strategy']): Assignment => ({ assigneeUserId: null, poolRoleCode: roleCode, strategy });
const user = (userId: number, strategy: Assignment['strategy']): Assignment => ({ assigneeUserId: userId, poolRoleCode: null, strategy });

/**
 * The assignment strategies of a node's `assignee` rule. Every strategy looks only at active users
 * of the order's store; when it finds nobody the task goes to the role's pool, so it is never lost.
 */
export function createAssignment(models: Models) {
  async function membersOf(roleCode: string, storeId: number, tx?: Transaction): Promise<number[]> {
    const role = await models.Role.findOne({ where: { code: roleCode }, attributes: ['id'], raw: true, transaction: tx });
    if (!role) return [];
    const users = await models.User.findAll({ where: { role_id: role.id, store_id: storeId, status: 'active' }, attributes: ['id'], order: [['id', 'ASC']], raw: true, transaction: tx });
    return users.map((u) => Number(u.id));
  }

  async function openCounts(userIds: number[], tx?: Transaction): Promise<Map<number, number>> {
    const rows = (await models.WorkOrder.count({ where: { assignee_user_id: userIds, status: openStatuses }, group: ['assignee_user_id'], transaction: tx })) as unknown as Array<{ assignee_user_id: number; count: number }>;
    return new Map(rows.map((r) => [Number(r.assignee_user_id), Number(r.count)]));
  }

  async function leastOpen(userIds: number[], tx?: Transaction): Promise<number | null> {
    if (!userIds.length) return null;
    const counts = await openCounts(userIds, tx);
    return [...userIds].sort((a, b) => (counts.get(a) ?? 0) - (counts.get(b) ?? 0) || a - b)[0] ?? null;
  }

  async function roundRobin(roleCode: string, storeId: number, userIds: number[], tx?: Transaction): Promise<number | null> {
    if (!userIds.length) return null;
    const key = `rr:${storeId}:${roleCode}`;
    let cursor = await models.AssignmentCursor.findOne({ where: { cursor_key: key }, raw: true, transaction: tx, lock: tx?.LOCK.UPDATE });
    if (!cursor) {
      try {
        await models.AssignmentCursor.create({ cursor_key: key, last_user_id: 0 }, { transaction: tx });
      } catch (error) {
        if (!(error instanceof UniqueConstraintError)) throw error;
      }
      cursor = await models.AssignmentCursor.findOne({ where: { cursor_key: key }, raw: true, transaction: tx, lock: tx?.LOCK.UPDATE });
    }
    const last = Number(cursor?.last_user_id ?? 0);
    const next = userIds.find((id) => id > last) ?? userIds[0] ?? null;
    if (next !== null) await models.AssignmentCursor.update({ last_user_id: next }, { where: { cursor_key: key }, transaction: tx });
    return next;
  }

  async function nearest(rule: Extract<AssigneeRule, { strategy: 'nearest' }>, order: AssignmentTarget, userIds: number[], tx?: Transaction) {
    if (!userIds.length || order.lat === null || order.lng === null) return null;
    const profiles = await models.TechnicianProfile.findAll({
      where: { user_id: userIds, available: true, last_lat: { [Op.ne]: null }, last_lng: { [Op.ne]: null } },
      raw: true,
      transaction: tx,
    });
    const from = { lat: Number(order.lat), lng: Number(order.lng) };
    const candidates = profiles
      .filter((p) => {
        const skills = new Set<string>(p.skills ? (JSON.parse(p.skills) as string[]) : []);
        return rule.skills.every((skill) => skills.has(skill));
      })
      .map((p) => ({ userId: Number(p.user_id), distanceM: distanceMeters(from, { lat: Number(p.last_lat), lng: Number(p.last_lng) }) }))
      .filter((c) => rule.maxKm === undefined || c.distanceM <= rule.maxKm * 1000)
      .sort((a, b) => a.distanceM - b.distanceM || a.userId - b.userId);
    return candidates[0] ?? null;
  }

  return {
    membersOf,

    async assign(rule: AssigneeRule | undefined, order: AssignmentTarget, tx?: Transaction): Promise<Assignment> {
      if (!rule) return { assigneeUserId: null, poolRoleCode: null, strategy: 'unassigned' };
      switch (rule.strategy) {
        case 'user': {
          const [found] = await selectRows(models.User, { id: rule.userId, status: 'active' }, tx);
          return found ? user(rule.userId, 'user') : { assigneeUserId: null, poolRoleCode: null, strategy: 'unassigned' };
        }
        case 'role': {
          const chosen = await leastOpen(await membersOf(rule.roleCode, order.store_id, tx), tx);
          return chosen === null ? pool(rule.roleCode, 'role') : user(chosen, 'role');
        }
        case 'store_manager': {
          const [manager] = await membersOf('store_manager', order.store_id, tx);
          return manager === undefined ? pool('store_manager', 'store_manager') : user(manager, 'store_manager');
        }
        case 'pool':
          return pool(rule.roleCode, 'pool');
        case 'round_robin': {
          const chosen = await roundRobin(rule.roleCode, order.store_id, await membersOf(rule.roleCode, order.store_id, tx), tx);
          return chosen === null ? pool(rule.roleCode, 'round_robin') : user(chosen, 'round_robin');
        }
        case 'least_open': {
          const chosen = await leastOpen(await membersOf(rule.roleCode, order.store_id, tx), tx);
          return chosen === null ? pool(rule.roleCode, 'least_open') : user(chosen, 'least_open');
        }
        case 'nearest': {
          const chosen = await nearest(rule, order, await membersOf(rule.roleCode, order.store_id, tx), tx);
          return chosen === null ? pool(rule.roleCode, 'nearest') : { ...user(chosen.userId, 'nearest'), distanceM: Math.round(chosen.distanceM) };
        }
        default:
          return assertUnreachable(rule);
      }
    },
  };
}

export type WorkOrderAssignment = ReturnType<typeof createAssignment>;
