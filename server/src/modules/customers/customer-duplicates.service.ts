import { col, fn, Op, where as sqlWhere, type WhereOptions } from 'sequelize';
import { can, type Actor } from '../access/actor';
import type { CustomerRow } from './customer.model';
import { scopedCustomers, toId, type Customer360Deps } from './customer-360.deps';
import { orgNamesOf } from '../org/org-names';

/** How many shared values of each kind one proposal run looks at. */
const KEY_LIMIT = 2000;

type Reason = { kind: 'unionid' | 'phone'; customerIds: number[] };

/** Proposes customers that look like one person: they share a unionid or a phone number (blind index). */
export function createCustomerDuplicatesService(deps: Pick<Customer360Deps, 'models' | 'phone' | 'audit'>) {
  const { models, phone, audit } = deps;
  const customers = scopedCustomers(models);

  async function sharedValues(actor: Actor, column: 'unionid' | 'phone_bidx') {
    const where: WhereOptions = { [column]: { [Op.ne]: null }, status: { [Op.ne]: 'merged' } };
    const rows = (await models.Customer.findAll({
      where: customers.where(actor, where),
      attributes: [column],
      group: [column],
      having: sqlWhere(fn('COUNT', col('id')), { [Op.gt]: 1 }),
      limit: KEY_LIMIT,
      raw: true,
    })) as unknown as Array<Record<string, string>>;
    return rows.map((r) => r[column]).filter((v): v is string => Boolean(v));
  }

  return {
    async propose(actor: Actor, range: { offset: number; limit: number }) {
      const [unionids, phones] = await Promise.all([sharedValues(actor, 'unionid'), sharedValues(actor, 'phone_bidx')]);
      if (!unionids.length && !phones.length) return { items: [], total: 0 };
      const rows = await customers.all(
        actor,
        { status: { [Op.ne]: 'merged' }, [Op.or]: [...(unionids.length ? [{ unionid: unionids }] : []), ...(phones.length ? [{ phone_bidx: phones }] : [])] },
        [['id', 'ASC']],
      );
      // Union-find over the shared values: a shares a unionid with b, b a phone with c → one group.
      const parent = new Map<number, number>(rows.map((r) => [Number(r.id), Number(r.id)]));
      const find = (id: number): number => {
        let root = id;
        while (parent.get(root) !== root) root = parent.get(root) as number;
        parent.set(id, root);
        return root;
      };
      const reasons: Reason[] = [];
      for (const [kind, column] of [['unionid', 'unionid'], ['phone', 'phone_bidx']] as const) {
        const byValue = new Map<string, number[]>();
        for (const row of rows) {
          const value = row[column];
          if (value) byValue.set(value, [...(byValue.get(value) ?? []), Number(row.id)]);
        }
        for (const ids of byValue.values()) {
          if (ids.length < 2) continue;
          reasons.push({ kind, customerIds: ids });
          for (const id of ids.slice(1)) parent.set(find(id), find(ids[0] as number));
        }
      }
      const groups = new Map<number, CustomerRow[]>();
      for (const row of rows) groups.set(find(Number(row.id)), [...(groups.get(find(Number(row.id))) ?? []), row]);
      const proposals = [...groups.values()].filter((g) => g.length > 1);
      const page = proposals.slice(range.offset, range.offset + range.limit);
      const ids = page.flat().map((r) => Number(r.id));
      const follows = ids.length
        ? ((await models.CustomerFollow.findAll({ where: { customer_id: ids, status: 'active' }, attributes: ['customer_id', [fn('COUNT', col('id')), 'count']], group: ['customer_id'], raw: true })) as unknown as Array<{ customer_id: number; count: number }>)
        : [];
      const followCount = new Map(follows.map((f) => [Number(f.customer_id), Number(f.count)]));
      const storeNames = await orgNamesOf(models).stores(page.flat().map((r) => toId(r.store_id)));
      const reveal = can(actor, 'customer:pii:read');
      const items = page.map((group) => {
        const members = group.map((row) => ({
          id: Number(row.id),
          name: row.name,
          phone: phone.present(row as unknown as Record<string, unknown>, reveal),
          storeId: toId(row.store_id),
          storeName: storeNames.get(Number(row.store_id)) ?? null,
          externalUserid: row.external_userid,
          unionid: row.unionid,
          stage: row.stage,
          activeFollows: followCount.get(Number(row.id)) ?? 0,
          createdAt: new Date(row.created_at).toISOString(),
        }));
        const ids = new Set(members.map((m) => m.id));
        const ranked = [...members].sort((a, b) => Number(Boolean(b.externalUserid)) - Number(Boolean(a.externalUserid)) || b.activeFollows - a.activeFollows || a.id - b.id);
        return { reasons: reasons.filter((r) => r.customerIds.some((id) => ids.has(id))), suggestedKeepId: ranked[0]?.id as number, customers: members };
      });
      const revealed = items.flatMap((g) => g.customers).filter((c) => reveal && c.phone !== null);
      if (revealed.length) await audit.record({ action: 'customer.pii_read', targetType: 'customer', after: { customerIds: revealed.map((c) => c.id) } });
      return { items, total: proposals.length };
    },
  };
}

export type CustomerDuplicatesService = ReturnType<typeof createCustomerDuplicatesService>;
