import { stringify } from 'csv-stringify/sync';
import { Op, type WhereOptions } from 'sequelize';
import type { PiiField } from '../../core/crypto/pii-field';
import type { Database } from '../../core/db/database';
import type { Models } from '../../core/db/models';
import { AppError } from '../../core/errors';
import { can, type Actor } from '../access/actor';
import { assertStoreInScope } from '../access/data-scope';
import { scopedQuery } from '../access/scoped-query';
import type { AuditService } from '../audit/audit.service';
import { customerScope, type CustomerRow } from './customer.model';
import type { CustomerFilter, CustomerInput } from './customer.schemas';

const EXPORT_LIMIT = 50_000;

export function createCustomerService(deps: { db: Database; models: Models; audit: AuditService; phone: PiiField; address: PiiField }) {
  const { db, models, audit, phone, address } = deps;
  const customers = scopedQuery<CustomerRow>(models.Customer, customerScope, 'customer');

  /** An exact phone lookup confirms a number, so it is for those who may see numbers anyway. */
  function assertMayLookUpPhone(actor: Actor, filter: CustomerFilter) {
    if (filter.phone && !can(actor, 'customer:pii:read')) {
      throw new AppError('FORBIDDEN', 'searching by phone number needs customer:pii:read', [{ path: 'query.phone', message: 'not allowed' }]);
    }
  }

  const filterWhere = (filter: CustomerFilter): WhereOptions => ({
    ...(filter.storeId && { store_id: filter.storeId }),
    ...(filter.q && { name: { [Op.like]: `%${filter.q}%` } }),
    ...(filter.phone && phone.matching(filter.phone)),
  });

  async function present(actor: Actor, rows: CustomerRow[]) {
    const reveal = can(actor, 'customer:pii:read');
    const storeIds = [...new Set(rows.map((r) => Number(r.store_id)))];
    const names = new Map((await models.Store.findAll({ where: { id: storeIds }, raw: true })).map((s) => [Number(s.id), s.name]));
    const items = rows.map((row) => {
      const fields = row as unknown as Record<string, unknown>;
      return {
        id: Number(row.id),
        name: row.name,
        phone: phone.present(fields, reveal),
        address: address.present(fields, reveal),
        storeId: Number(row.store_id),
        storeName: names.get(Number(row.store_id)) ?? null,
        ownerUserId: row.owner_user_id === null ? null : Number(row.owner_user_id),
        createdAt: new Date(row.created_at).toISOString(),
      };
    });
    const revealed = items.filter((item) => reveal && (item.phone !== null || item.address !== null));
    if (revealed.length) {
      // Every read of unmasked personal data is on the record: who saw whose.
      await audit.record({
        action: 'customer.pii_read',
        targetType: 'customer',
        targetId: revealed.length === 1 ? revealed[0]?.id : null,
        storeId: revealed.length === 1 ? revealed[0]?.storeId : null,
        after: { customerIds: revealed.map((item) => item.id) },
      });
    }
    return items;
  }

  const auditView = (row: CustomerRow) => {
    const fields = row as unknown as Record<string, unknown>;
    return { name: row.name, storeId: Number(row.store_id), ownerUserId: row.owner_user_id, phone: phone.present(fields, false), address: address.present(fields, false) };
  };

  async function assertOwner(actor: Actor, ownerUserId: number | null | undefined, storeId: number) {
    if (!ownerUserId) return;
    const owner = await models.User.findByPk(ownerUserId, { raw: true });
    if (!owner || Number(owner.store_id) !== storeId) {
      throw new AppError('VALIDATION_FAILED', 'the owner must be a user of the same store', [{ path: 'body.ownerUserId', message: 'not a user of this store' }]);
    }
  }

  const columnsOf = (input: Partial<CustomerInput>) => ({
    ...(input.name !== undefined && { name: input.name }),
    ...(input.storeId !== undefined && { store_id: input.storeId }),
    ...(input.ownerUserId !== undefined && { owner_user_id: input.ownerUserId }),
    ...(input.phone !== undefined && phone.seal(input.phone)),
    ...(input.address !== undefined && address.seal(input.address)),
  });

  return {
    async list(actor: Actor, filter: CustomerFilter, range: { offset: number; limit: number }) {
      assertMayLookUpPhone(actor, filter);
      const { rows, total } = await customers.page(actor, filterWhere(filter), range);
      return { items: await present(actor, rows), total };
    },

    async get(actor: Actor, id: number) {
      return (await present(actor, [await customers.byId(actor, id)]))[0];
    },

    async create(actor: Actor, input: CustomerInput) {
      assertStoreInScope(actor, input.storeId);
      const ownerUserId = input.ownerUserId ?? (actor.dataScope === 'self' ? actor.userId : null);
      await assertOwner(actor, ownerUserId, input.storeId);
      return db.transaction(async (tx) => {
        const created = (await models.Customer.create({ ...columnsOf(input), owner_user_id: ownerUserId } as CustomerRow, { transaction: tx })).get({ plain: true });
        await audit.record({ action: 'customer.created', targetType: 'customer', targetId: created.id, storeId: input.storeId, after: auditView(created) }, tx);
        return created;
      }).then(async (row) => (await present(actor, [row]))[0]);
    },

    async update(actor: Actor, id: number, input: Partial<CustomerInput>) {
      if (input.storeId !== undefined) assertStoreInScope(actor, input.storeId);
      const row = await db.transaction(async (tx) => {
        const before = await customers.byId(actor, id, tx);
        const changes = columnsOf(input);
        await assertOwner(actor, input.ownerUserId, input.storeId ?? Number(before.store_id));
        await models.Customer.update(changes, { where: { id }, transaction: tx });
        const after = { ...before, ...changes } as CustomerRow;
        await audit.record({ action: 'customer.updated', targetType: 'customer', targetId: id, storeId: Number(after.store_id), before: auditView(before), after: auditView(after) }, tx);
        return after;
      });
      return (await present(actor, [row]))[0];
    },

    async remove(actor: Actor, id: number) {
      await db.transaction(async (tx) => {
        const before = await customers.byId(actor, id, tx);
        await models.Customer.destroy({ where: { id }, transaction: tx });
        await audit.record({ action: 'customer.deleted', targetType: 'customer', targetId: id, storeId: Number(before.store_id), before: auditView(before) }, tx);
      });
    },

    async stats(actor: Actor) {
      const counts = await customers.countBy(actor, 'store_id');
      const stores = await models.Store.findAll({ where: { id: [...counts.keys()] }, raw: true });
      const names = new Map(stores.map((s) => [Number(s.id), s.name]));
      return [...counts.entries()].map(([storeId, count]) => ({ storeId, storeName: names.get(storeId) ?? null, count }));
    },

    /** CSV of the customers in scope that match the filter. */
    async exportCsv(actor: Actor, filter: CustomerFilter): Promise<string> {
      assertMayLookUpPhone(actor, filter);
      const rows = await customers.all(actor, filterWhere(filter), [['id', 'ASC']], EXPORT_LIMIT);
      const items = await present(actor, rows);
      const recordedFilter = { ...filter, ...(filter.phone && { phone: phone.mask(filter.phone) }) };
      await audit.record({ action: 'customer.exported', targetType: 'customer', after: { count: items.length, filter: recordedFilter } });
      return stringify(
        items.map((c) => [c.id, c.name, c.phone ?? '', c.address ?? '', c.storeName ?? '', c.createdAt]),
        { header: true, columns: ['id', 'name', 'phone', 'address', 'store', 'created_at'], bom: true },
      );
    },
  };
}

export type CustomerService = ReturnType<typeof createCustomerService>;
