import { Op, type Transaction } from 'sequelize';
import type { PiiField } from '../../core/crypto/pii-field';
import type { Models } from '../../core/db/models';
import type { AuditService } from '../audit/audit.service';
import { searchTextOf } from '../customers/customer-search-text';
import type { OrderEventsPort } from './order.ports';
import type { CommerceOrderInput } from './order.schemas';

/**
 * The customer an order's buyer is: the one with the same phone (blind index), else the same
 * unionid, else a new customer (source: the platform). Merged customers are never matched.
 */
export function createCustomerMatcher(deps: { models: Models; audit: AuditService; phone: PiiField; address: PiiField; events: OrderEventsPort }) {
  const { models, audit, phone, address, events } = deps;

  async function find(buyer: CommerceOrderInput['buyer'], tx: Transaction): Promise<number | null> {
    const keys = [buyer.phone ? phone.matching(buyer.phone) : null, buyer.unionid ? { unionid: buyer.unionid } : null].filter((k): k is Record<string, string> => k !== null);
    for (const key of keys) {
      const found = await models.Customer.findOne({ where: { ...key, status: { [Op.ne]: 'merged' } }, attributes: ['id'], order: [['id', 'ASC']], raw: true, transaction: tx });
      if (found) return Number(found.id);
    }
    return null;
  }

  return {
    /** The matched or created customer, or null when the order names no phone and no unionid. */
    async match(order: CommerceOrderInput, tx: Transaction): Promise<{ customerId: number | null; created: boolean }> {
      const { buyer } = order;
      if (!buyer.phone && !buyer.unionid) return { customerId: null, created: false };
      const existing = await find(buyer, tx);
      if (existing !== null) return { customerId: existing, created: false };
      const name = buyer.name?.trim() || `${order.platform}买家`;
      const created = await models.Customer.create(
        { store_id: null, name, ...phone.seal(buyer.phone ?? null), ...address.seal(buyer.address ?? null), unionid: buyer.unionid ?? null, search_text: searchTextOf(name), added_at: new Date() },
        { transaction: tx },
      );
      const customerId = Number(created.get('id'));
      await audit.record({ action: 'customer.created', targetType: 'customer', targetId: customerId, storeId: null, after: { name, source: order.platform }, actor: { id: null, name: `order:${order.platform}` } }, tx);
      await events.emit('customer.created', { customerId, storeId: null, externalUserId: null, source: order.platform }, tx);
      return { customerId, created: true };
    },
  };
}

export type CustomerMatcher = ReturnType<typeof createCustomerMatcher>;
