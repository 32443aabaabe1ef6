import type { Transaction } from 'sequelize';
import { validationFailed } from '../../core/errors';
import type { Actor } from '../access/actor';
import { assertStoreInScope } from '../access/data-scope';
import { scopedCustomers, toId, type Customer360Deps } from './customer-360.deps';
import { reassignCustomerStores } from './customer-store-assignment';

/**
 * An admin's reassignment of a customer to a store. A chosen store is locked (syncs keep it); clearing
 * it unlocks the customer, whose store follows its primary follow user again.
 */
export function createCustomerStoreReassignService(deps: Customer360Deps) {
  const { db, models, audit, timeline } = deps;
  const customers = scopedCustomers(models);

  async function storeName(storeId: number | null, tx: Transaction) {
    if (storeId === null) return null;
    return (await models.Store.findByPk(storeId, { raw: true, transaction: tx }))?.name ?? null;
  }

  return {
    async reassign(actor: Actor, customerId: number, storeId: number | null) {
      if (storeId !== null) {
        assertStoreInScope(actor, storeId);
        if (!(await models.Store.findByPk(storeId, { raw: true }))) throw validationFailed([{ path: 'body.storeId', message: `no store ${storeId}` }]);
      }
      const result = await db.transaction(async (tx) => {
        const before = await customers.byId(actor, customerId, tx);
        const fromStoreId = toId(before.store_id);
        if (storeId !== null) {
          await models.Customer.update({ store_id: storeId, store_locked: true }, { where: { id: customerId }, transaction: tx });
        } else {
          await models.Customer.update({ store_locked: false }, { where: { id: customerId }, transaction: tx });
          await reassignCustomerStores(models, { customerIds: [customerId] }, tx);
        }
        const after = await models.Customer.findByPk(customerId, { raw: true, transaction: tx });
        const toStoreId = toId(after?.store_id);
        const [fromName, toName] = [await storeName(fromStoreId, tx), await storeName(toStoreId, tx)];
        const summary = storeId === null ? `门店恢复自动分配：${fromName ?? '未分配'} → ${toName ?? '未分配'}` : `门店改派：${fromName ?? '未分配'} → ${toName ?? '未分配'}（已锁定）`;
        await timeline.record(
          { customerId, storeId: toStoreId, kind: 'store.changed', summary, payload: { from: fromStoreId, to: toStoreId, locked: storeId !== null }, actorUserId: actor.userId },
          tx,
        );
        await audit.record(
          {
            action: storeId === null ? 'customer.store_unlocked' : 'customer.store_reassigned',
            targetType: 'customer',
            targetId: customerId,
            storeId: toStoreId,
            before: { storeId: fromStoreId, storeLocked: Boolean(before.store_locked) },
            after: { storeId: toStoreId, storeLocked: storeId !== null },
          },
          tx,
        );
        return { storeId: toStoreId, storeName: toName, storeLocked: storeId !== null };
      });
      return result;
    },
  };
}

export type CustomerStoreReassignService = ReturnType<typeof createCustomerStoreReassignService>;
