import { Op, type Transaction } from 'sequelize';
import type { Models } from '../../core/db/models';

export interface StoreChange {
  customerId: number;
  fromStoreId: number | null;
  toStoreId: number | null;
  ownerUserId: number | null;
}

const CHUNK = 500;

/**
 * A customer belongs to the store of its primary follow user: the earliest-added active follow whose
 * employee is one of our users with a store. An admin's reassignment (`store_locked`) wins over it.
 * The owner (used by the `self` data scope) is that primary follow user. Call this after anything that
 * changes follows, employees' stores or department mappings; it returns what moved, for the timeline.
 */
export async function reassignCustomerStores(models: Models, target: { customerIds?: number[]; wecomUserids?: string[] }, tx?: Transaction): Promise<StoreChange[]> {
  const ids = new Set<number>(target.customerIds ?? []);
  if (target.wecomUserids?.length) {
    const follows = await models.CustomerFollow.findAll({ where: { wecom_userid: target.wecomUserids }, attributes: ['customer_id'], raw: true, transaction: tx });
    for (const follow of follows) ids.add(Number(follow.customer_id));
  }
  const changes: StoreChange[] = [];
  const all = [...ids];
  for (let at = 0; at < all.length; at += CHUNK) changes.push(...(await reassignChunk(models, all.slice(at, at + CHUNK), tx)));
  return changes;
}

async function reassignChunk(models: Models, customerIds: number[], tx?: Transaction): Promise<StoreChange[]> {
  const customers = await models.Customer.findAll({
    where: { id: customerIds, store_locked: false, status: { [Op.ne]: 'merged' } },
    attributes: ['id', 'store_id', 'owner_user_id'],
    raw: true,
    transaction: tx,
  });
  if (!customers.length) return [];
  const follows = await models.CustomerFollow.findAll({
    where: { customer_id: customers.map((c) => c.id), status: 'active' },
    attributes: ['customer_id', 'wecom_userid', 'added_at', 'id'],
    order: [['added_at', 'ASC'], ['id', 'ASC']],
    raw: true,
    transaction: tx,
  });
  const users = await models.User.findAll({
    where: { wecom_userid: [...new Set(follows.map((f) => f.wecom_userid))], store_id: { [Op.ne]: null } },
    attributes: ['id', 'wecom_userid', 'store_id'],
    raw: true,
    transaction: tx,
  });
  const userOf = new Map(users.map((u) => [u.wecom_userid, u]));
  const primary = new Map<number, { storeId: number; userId: number }>();
  for (const follow of follows) {
    const user = userOf.get(follow.wecom_userid);
    if (user && !primary.has(Number(follow.customer_id))) primary.set(Number(follow.customer_id), { storeId: Number(user.store_id), userId: Number(user.id) });
  }
  const changes: StoreChange[] = [];
  for (const customer of customers) {
    const chosen = primary.get(Number(customer.id));
    const fromStoreId = customer.store_id === null ? null : Number(customer.store_id);
    const fromOwner = customer.owner_user_id === null ? null : Number(customer.owner_user_id);
    // With no follow user in a store, the customer keeps its last store (a lost customer stays where it was).
    if (!chosen || (chosen.storeId === fromStoreId && chosen.userId === fromOwner)) continue;
    await models.Customer.update({ store_id: chosen.storeId, owner_user_id: chosen.userId }, { where: { id: customer.id }, transaction: tx });
    if (chosen.storeId !== fromStoreId) changes.push({ customerId: Number(customer.id), fromStoreId, toStoreId: chosen.storeId, ownerUserId: chosen.userId });
  }
  return changes;
}
