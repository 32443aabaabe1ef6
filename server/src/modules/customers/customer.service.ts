import type { Writable } from 'node:stream';
import { Op, type WhereOptions } from 'sequelize';
import type { PiiField } from '../../core/crypto/pii-field';
import type { Database } from '../../core/db/database';
import type { Models } from '../../core/db/models';
import { AppError } from '../../core/errors';
import { can, type Actor } from '../access/actor';
import { assertStoreInScope } from '../access/data-scope';
import { scopedQuery } from '../access/scoped-query';
import type { FilterPort } from '../plugins/filter-port';
import type { EventEmitter } from '../plugins/outbox';
import type { AuditService } from '../audit/audit.service';
import { customerScope, type CustomerRow } from './customer.model';
import { EXPORT_LIMIT, exportContentType, exportFileName, writeCustomerExport, type ExportFormat } from './customer-export';
import { createCustomerFinder } from './customer-finder';
import { createCustomerPresenter, type CustomerItem } from './customer-present';
import { customerConditions } from './customer-query';
import { searchTextOf } from './customer-search-text';
import { createCustomerSegmentService } from './customer-segments.service';
import type { CustomerFilter, CustomerInput, CustomerQuery } from './customer.schemas';
import { orgNamesOf } from '../org/org-names';

/** What the list and the export take: filter fields, custom field values, and optionally a saved segment. */
export type CustomerSearch = Omit<CustomerQuery, 'page' | 'pageSize' | 'afterId'> & { cf?: Record<string, string> };

export function createCustomerService(deps: { db: Database; models: Models; audit: AuditService; phone: PiiField; address: PiiField; events?: EventEmitter; filters?: FilterPort }) {
  const { db, models, audit, phone, address } = deps;
  const customers = scopedQuery<CustomerRow>(models.Customer, customerScope, 'customer');
  const finder = createCustomerFinder(models);
  const presenter = createCustomerPresenter({ models, phone, address });
  const segments = createCustomerSegmentService({ db, models, audit });

  /** An exact phone lookup confirms a number, so it is for those who may see numbers anyway. */
  function assertMayLookUpPhone(actor: Actor, filter: CustomerFilter) {
    if (filter.phone && !can(actor, 'customer:pii:read')) {
      throw new AppError('FORBIDDEN', 'searching by phone number needs customer:pii:read', [{ path: 'query.phone', message: 'not allowed' }]);
    }
  }

  /** The effective filter: a segment's, refined by the fields given alongside it. */
  async function filterOf(actor: Actor, search: CustomerSearch): Promise<CustomerFilter> {
    const { segmentId, cf, ...fields } = search;
    const given = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as CustomerFilter;
    const base = segmentId ? await segments.filterOf(actor, segmentId) : {};
    const customFields = { ...base.cf, ...cf };
    const filter: CustomerFilter = { ...base, ...given, ...(Object.keys(customFields).length && { cf: customFields }) };
    assertMayLookUpPhone(actor, filter);
    if (filter.cf) {
      const known = new Set((await models.CustomerFieldDef.findAll({ attributes: ['field_key'], raw: true })).map((d) => d.field_key));
      const unknown = Object.keys(filter.cf).filter((key) => !known.has(key));
      if (unknown.length) throw new AppError('VALIDATION_FAILED', `unknown custom field ${unknown.join(', ')}`, unknown.map((key) => ({ path: `query.cf.${key}`, message: 'no such custom field' })));
    }
    return filter;
  }

  const scopedWhere = (actor: Actor, filter: CustomerFilter): WhereOptions => {
    // A store-scoped actor's rows are one index range already, like a store filter.
    const narrowed = Boolean(filter.storeId || filter.stage?.length || actor.dataScope === 'store');
    return customers.where(actor, { [Op.and]: customerConditions(filter, { sequelize: db.sequelize, dialect: db.dialect, phone }, { narrowed }) });
  };

  async function present(actor: Actor, rows: CustomerRow[]): Promise<CustomerItem[]> {
    const reveal = can(actor, 'customer:pii:read');
    const items = await presenter.present(rows, reveal);
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
    return { name: row.name, storeId: row.store_id === null ? null : Number(row.store_id), ownerUserId: row.owner_user_id, phone: phone.present(fields, false), address: address.present(fields, false) };
  };
  /** A filter as the audit trail keeps it: a searched phone number masked. */
  const recordedFilter = (filter: CustomerFilter) => ({ ...filter, ...(filter.phone && { phone: phone.mask(filter.phone) }) });

  async function assertOwner(ownerUserId: number | null | undefined, storeId: number | null) {
    if (!ownerUserId) return;
    const owner = await models.User.findByPk(ownerUserId, { raw: true });
    if (!owner || storeId === null || Number(owner.store_id) !== storeId) {
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
    segments,

    async list(actor: Actor, search: CustomerSearch, range: { page: number; pageSize: number; afterId?: number }) {
      const filter = await filterOf(actor, search);
      const found = await finder.page(scopedWhere(actor, filter), { offset: (range.page - 1) * range.pageSize, limit: range.pageSize, afterId: range.afterId });
      return { items: await present(actor, found.rows), total: found.total, totalCapped: found.capped, page: range.page, pageSize: range.pageSize, nextAfterId: found.nextAfterId };
    },

    async create(actor: Actor, given: CustomerInput) {
      // Plugins may change the new customer or refuse it (422) before anything is written.
      const filtered = deps.filters ? await deps.filters.run('customer.beforeCreate', { name: given.name, phone: given.phone ?? undefined, storeId: given.storeId, source: 'console', tags: [] }) : null;
      const input: CustomerInput = filtered ? { ...given, name: filtered.name, phone: filtered.phone ?? given.phone, storeId: filtered.storeId ?? given.storeId } : given;
      assertStoreInScope(actor, input.storeId);
      const ownerUserId = input.ownerUserId ?? (actor.dataScope === 'self' ? actor.userId : null);
      await assertOwner(ownerUserId, input.storeId);
      const row = await db.transaction(async (tx) => {
        const created = (
          await models.Customer.create({ ...columnsOf(input), owner_user_id: ownerUserId, search_text: searchTextOf(input.name), added_at: new Date() } as CustomerRow, { transaction: tx })
        ).get({ plain: true });
        await audit.record({ action: 'customer.created', targetType: 'customer', targetId: created.id, storeId: input.storeId, after: auditView(created) }, tx);
        await deps.events?.emit('customer.created', { customerId: Number(created.id), storeId: input.storeId, externalUserId: null, source: 'console' }, tx);
        return created;
      });
      return (await present(actor, [(await models.Customer.findByPk(row.id, { raw: true })) as CustomerRow]))[0];
    },

    async update(actor: Actor, id: number, input: Partial<CustomerInput>) {
      if (input.storeId !== undefined) assertStoreInScope(actor, input.storeId);
      await db.transaction(async (tx) => {
        const before = await customers.byId(actor, id, tx);
        const changes: Record<string, unknown> = columnsOf(input);
        if (input.name !== undefined) {
          const remarks = await models.CustomerFollow.findAll({ where: { customer_id: id, status: 'active' }, attributes: ['remark'], raw: true, transaction: tx });
          changes.search_text = searchTextOf(input.name, remarks.map((f) => f.remark));
        }
        await assertOwner(input.ownerUserId, input.storeId ?? (before.store_id === null ? null : Number(before.store_id)));
        await models.Customer.update(changes, { where: { id }, transaction: tx });
        const after = { ...before, ...changes } as CustomerRow;
        await audit.record({ action: 'customer.updated', targetType: 'customer', targetId: id, storeId: after.store_id === null ? null : Number(after.store_id), before: auditView(before), after: auditView(after) }, tx);
        await deps.events?.emit('customer.updated', { customerId: id, fields: Object.keys(input).filter((key) => input[key as keyof CustomerInput] !== undefined) }, tx);
      });
      return (await present(actor, [(await models.Customer.findByPk(id, { raw: true })) as CustomerRow]))[0];
    },

    async remove(actor: Actor, id: number) {
      await db.transaction(async (tx) => {
        const before = await customers.byId(actor, id, tx);
        await models.Customer.destroy({ where: { id }, transaction: tx });
        await audit.record({ action: 'customer.deleted', targetType: 'customer', targetId: id, storeId: before.store_id === null ? null : Number(before.store_id), before: auditView(before) }, tx);
      });
    },

    async stats(actor: Actor) {
      const counts = await customers.countBy(actor, 'store_id', { status: { [Op.ne]: 'merged' } });
      const names = await orgNamesOf(models).stores([...counts.keys()].filter((id) => id > 0));
      return [...counts.entries()].map(([storeId, count]) => ({ storeId: storeId > 0 ? storeId : null, storeName: names.get(storeId) ?? null, count }));
    },

    /**
     * An export of the customers in scope matching the search, checked and audited before a byte is
     * written. More than EXPORT_LIMIT matches are refused: narrow the filter. Personal data is plain
     * only for holders of customer:pii:read, and the audit entry says so.
     */
    async prepareExport(actor: Actor, search: CustomerSearch, format: ExportFormat) {
      const filter = await filterOf(actor, search);
      const where = scopedWhere(actor, filter);
      const { total: count, capped } = await finder.cappedCount(where, EXPORT_LIMIT);
      if (capped) {
        throw new AppError('VALIDATION_FAILED', `more than ${EXPORT_LIMIT} customers match; narrow the filter to export`, [{ path: 'query', message: `at most ${EXPORT_LIMIT} rows per export` }]);
      }
      const reveal = can(actor, 'customer:pii:read');
      await audit.record({ action: 'customer.exported', targetType: 'customer', after: { count, format, unmasked: reveal, filter: recordedFilter(filter), segmentId: search.segmentId ?? null } });
      async function* batches() {
        for await (const rows of finder.batches(where)) yield await presenter.present(rows, reveal);
      }
      return {
        count,
        fileName: exportFileName(format),
        contentType: exportContentType[format],
        write: (out: Writable) => writeCustomerExport(format, batches(), out),
      };
    },
  };
}

export type CustomerService = ReturnType<typeof createCustomerService>;
