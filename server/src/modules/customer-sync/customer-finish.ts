import type { Transaction } from 'sequelize';
import type { PiiField } from '../../core/crypto/pii-field';
import type { Models } from '../../core/db/models';
import type { CustomerRow } from '../customers/customer.model';
import { reassignCustomerStores } from '../customers/customer-store-assignment';
import type { TimelineEntry } from '../customers/customer-timeline';
import { searchTextOf } from './contact-entry';

export type CustomerSlice = Pick<CustomerRow, 'id' | 'external_userid' | 'name' | 'unionid' | 'wecom_type' | 'gender' | 'avatar' | 'corp_name' | 'store_id' | 'status' | 'search_text' | 'phone_enc' | 'added_at' | 'lost_at'>;
export type ProfileColumns = Pick<CustomerRow, 'name' | 'unionid' | 'wecom_type' | 'gender' | 'avatar' | 'corp_name'>;

export const customerColumns = ['id', 'external_userid', 'name', 'unionid', 'wecom_type', 'gender', 'avatar', 'corp_name', 'store_id', 'status', 'search_text', 'phone_enc', 'added_at', 'lost_at'] as const;

const time = (value: Date | string | null | undefined) => (value ? new Date(value).getTime() : null);

/**
 * Brings customers in step with their follows: WeCom profile, search text (name + remarks), phone
 * from the first remark mobile when none is set, status (lost once no follow is active) and store
 * (through the primary follow user). Returns what changed and each customer's store.
 */
export async function finishCustomers(
  deps: { models: Models; phone: PiiField },
  input: { customers: CustomerSlice[]; createdIds?: Set<number>; profiles?: Map<string, ProfileColumns>; phones?: Map<string, string | undefined>; also?: { storeOf: Map<number, number | null>; assign: number[] } },
  tx: Transaction,
) {
  const { models } = deps;
  const ids = input.customers.map((c) => Number(c.id));
  const follows = ids.length
    ? await models.CustomerFollow.findAll({ where: { customer_id: ids }, attributes: ['customer_id', 'remark', 'status', 'added_at', 'lost_at'], order: [['added_at', 'ASC'], ['id', 'ASC']], raw: true, transaction: tx })
    : [];
  const followsOf = new Map<number, typeof follows>();
  for (const f of follows) followsOf.set(Number(f.customer_id), [...(followsOf.get(Number(f.customer_id)) ?? []), f]);

  const updated: string[] = [];
  const events: TimelineEntry[] = [];
  const now = new Date();
  for (const customer of input.customers) {
    const id = Number(customer.id);
    const ext = String(customer.external_userid);
    const mine = followsOf.get(id) ?? [];
    const profile = input.profiles?.get(ext);
    const wanted: Record<string, unknown> = {};
    if (profile) {
      for (const key of Object.keys(profile) as Array<keyof ProfileColumns>) {
        if ((customer[key] ?? null) !== (profile[key] ?? null)) wanted[key] = profile[key];
      }
    }
    const name = profile?.name ?? customer.name;
    const searchText = searchTextOf(name, mine.map((f) => f.remark));
    if ((customer.search_text ?? '') !== searchText) wanted.search_text = searchText;
    const phone = input.phones?.get(ext);
    if (!customer.phone_enc && phone) Object.assign(wanted, deps.phone.seal(phone));
    const firstAdded = mine.map((f) => time(f.added_at)).find((t): t is number => t !== null);
    if (firstAdded !== undefined && (time(customer.added_at) === null || firstAdded < (time(customer.added_at) as number))) wanted.added_at = new Date(firstAdded);
    if (customer.status !== 'merged' && mine.length) {
      const active = mine.some((f) => f.status === 'active');
      if (active && customer.status !== 'active') Object.assign(wanted, { status: 'active', lost_at: null });
      if (!active && customer.status !== 'lost') {
        const lostAt = Math.max(...mine.map((f) => time(f.lost_at) ?? 0));
        Object.assign(wanted, { status: 'lost', lost_at: lostAt ? new Date(lostAt) : now });
      }
    }
    if (!Object.keys(wanted).length) continue;
    await models.Customer.update(wanted, { where: { id }, transaction: tx });
    if (input.createdIds?.has(id)) continue;
    updated.push(ext);
    const profileChanged = Object.keys(wanted).filter((k) => ['name', 'unionid', 'wecom_type', 'gender', 'avatar', 'corp_name'].includes(k));
    if (profileChanged.length) events.push({ customerId: id, kind: 'customer.updated', summary: `企业微信资料更新：${profileChanged.join(', ')}`, payload: { fields: profileChanged, source: 'wecom' } });
  }

  const storeOf = new Map(input.customers.map((c) => [Number(c.id), c.store_id === null ? null : Number(c.store_id)]));
  // Customers created with all their follows in hand need no second look, only a store if one applies.
  for (const [id, store] of input.also?.storeOf ?? []) storeOf.set(id, store);
  const assign = [...ids, ...(input.also?.assign ?? [])];
  const moves = assign.length ? await reassignCustomerStores(models, { customerIds: assign }, tx) : [];
  for (const move of moves) {
    storeOf.set(move.customerId, move.toStoreId);
    if (move.fromStoreId !== null) events.push({ customerId: move.customerId, kind: 'store.changed', summary: '按首位跟进员工调整门店', payload: { from: move.fromStoreId, to: move.toStoreId } });
  }
  return { updated, events, storeOf };
}
