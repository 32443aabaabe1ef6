import { Op } from 'sequelize';
import type { Models } from '../../core/db/models';
import { AppError } from '../../core/errors';
import type { Actor } from '../access/actor';
import type { UserRow } from '../org/org.models';
import { orgNamesOf } from '../org/org-names';

/** An employee as a handover sees them: their WeCom userid and, when the directory knows them, our user. */
export interface Employee {
  userid: string;
  userId: number | null;
  name: string;
  storeId: number | null;
  storeName: string | null;
  status: 'active' | 'departed' | 'disabled' | 'unknown';
  leftAt: Date | null;
}

/** An employee without a store (unknown to the directory) belongs to no store: only an actor who sees every store may touch them. */
export const reachesStore = (actor: Actor, storeId: number | null) => actor.storeIds === null || (storeId !== null && actor.storeIds.includes(storeId));

export function assertReaches(actor: Actor, employee: Employee, path: string): void {
  if (!reachesStore(actor, employee.storeId)) {
    throw new AppError('FORBIDDEN', `employee ${employee.userid} is outside your data scope`, [{ path, message: 'outside your data scope' }]);
  }
}

const statusOf = (user: UserRow): Employee['status'] => (user.status === 'active' ? 'active' : user.wecom_left_at ? 'departed' : 'disabled');

/** Reads employees by WeCom userid, with their stores' names. */
export async function employeesByUserid(models: Models, userids: string[]): Promise<Map<string, Employee>> {
  const unique = [...new Set(userids)].filter(Boolean);
  if (!unique.length) return new Map();
  const users = await models.User.findAll({ where: { wecom_userid: unique }, order: [['id', 'ASC']], raw: true });
  const stores = await orgNamesOf(models).stores(users.map((u) => u.store_id));
  const found = new Map<string, Employee>();
  for (const user of users) {
    const userid = user.wecom_userid as string;
    // Two users can carry one userid only by mistake; an active one is the person who works today.
    if (found.has(userid) && user.status !== 'active') continue;
    const storeId = user.store_id === null ? null : Number(user.store_id);
    found.set(userid, { userid, userId: Number(user.id), name: user.display_name, storeId, storeName: storeId === null ? null : (stores.get(storeId) ?? null), status: statusOf(user), leftAt: user.wecom_left_at });
  }
  for (const userid of unique) {
    if (!found.has(userid)) found.set(userid, { userid, userId: null, name: userid, storeId: null, storeName: null, status: 'unknown', leftAt: null });
  }
  return found;
}

export async function employeeByUserid(models: Models, userid: string): Promise<Employee> {
  return (await employeesByUserid(models, [userid])).get(userid) as Employee;
}

/** Employees who still work here (our active users with a WeCom userid), within the actor's scope. */
export async function activeEmployees(models: Models, actor: Actor, q?: string): Promise<Employee[]> {
  const users = await models.User.findAll({
    where: {
      status: 'active',
      wecom_userid: { [Op.ne]: null },
      ...(actor.storeIds !== null && { store_id: [...actor.storeIds] }),
      ...(q && { [Op.or]: [{ display_name: { [Op.like]: `%${q}%` } }, { wecom_userid: { [Op.like]: `%${q}%` } }] }),
    },
    order: [['display_name', 'ASC']],
    limit: 500,
    raw: true,
  });
  const stores = await orgNamesOf(models).stores(users.map((u) => u.store_id));
  return users.map((user) => {
    const storeId = user.store_id === null ? null : Number(user.store_id);
    return { userid: user.wecom_userid as string, userId: Number(user.id), name: user.display_name, storeId, storeName: storeId === null ? null : (stores.get(storeId) ?? null), status: 'active', leftAt: null };
  });
}

export const presentEmployee = (e: Employee) => ({ userid: e.userid, userId: e.userId, name: e.name, storeId: e.storeId, storeName: e.storeName, status: e.status, leftAt: e.leftAt ? new Date(e.leftAt).toISOString() : null });
