import { Op, type WhereOptions } from 'sequelize';
import type { Database } from '../../core/db/database';
import type { Models } from '../../core/db/models';
import { AppError, conflict } from '../../core/errors';
import type { Actor } from '../access/actor';
import { scopedQuery } from '../access/scoped-query';
import type { AuditService } from '../audit/audit.service';
import type { StoreInput } from './org.schemas';
import type { StoreRow } from './org.models';

export const storeScope = { store: 'id', region: 'region_id' } as const;

const auditView = (row: StoreRow) => ({ code: row.code, name: row.name, regionId: Number(row.region_id), address: row.address });

export function createStoreService(deps: { db: Database; models: Models; audit: AuditService }) {
  const { db, models, audit } = deps;
  const stores = scopedQuery<StoreRow>(models.Store, storeScope, 'store');

  async function present(rows: StoreRow[]) {
    const regionIds = [...new Set(rows.map((r) => Number(r.region_id)))];
    const regions = await models.Region.findAll({ where: { id: regionIds }, raw: true });
    const names = new Map(regions.map((r) => [Number(r.id), r.name]));
    return rows.map((row) => ({
      id: Number(row.id),
      code: row.code,
      name: row.name,
      regionId: Number(row.region_id),
      regionName: names.get(Number(row.region_id)) ?? null,
      address: row.address,
      createdAt: new Date(row.created_at).toISOString(),
    }));
  }

  /** Only company-wide actors place stores in other regions. */
  function assertRegionInScope(actor: Actor, regionId: number) {
    if (actor.dataScope !== 'all' && regionId !== actor.regionId) {
      throw new AppError('FORBIDDEN', `region ${regionId} is outside your data scope`, [{ path: 'body.regionId', message: 'outside your data scope' }]);
    }
  }

  async function assertRegionExists(regionId: number) {
    if (!(await models.Region.findByPk(regionId, { raw: true }))) {
      throw new AppError('VALIDATION_FAILED', `region ${regionId} does not exist`, [{ path: 'body.regionId', message: 'no such region' }]);
    }
  }

  return {
    async list(actor: Actor, filter: { regionId?: number; q?: string }, range: { offset: number; limit: number }) {
      const where: WhereOptions = {};
      if (filter.regionId) Object.assign(where, { region_id: filter.regionId });
      if (filter.q) Object.assign(where, { [Op.or]: [{ name: { [Op.like]: `%${filter.q}%` } }, { code: { [Op.like]: `%${filter.q}%` } }] });
      const { rows, total } = await stores.page(actor, where, range, [['code', 'ASC']]);
      return { items: await present(rows), total };
    },

    async get(actor: Actor, id: number) {
      const [store] = await present([await stores.byId(actor, id)]);
      return store;
    },

    async create(actor: Actor, input: StoreInput) {
      assertRegionInScope(actor, input.regionId);
      await assertRegionExists(input.regionId);
      return db.transaction(async (tx) => {
        const created = (await models.Store.create({ code: input.code, name: input.name, region_id: input.regionId, address: input.address ?? null }, { transaction: tx })).get({
          plain: true,
        });
        await audit.record({ action: 'store.created', targetType: 'store', targetId: created.id, storeId: Number(created.id), after: auditView(created) }, tx);
        return (await present([created]))[0];
      });
    },

    async update(actor: Actor, id: number, input: Partial<StoreInput>) {
      if (input.regionId) {
        assertRegionInScope(actor, input.regionId);
        await assertRegionExists(input.regionId);
      }
      const changes = {
        ...(input.code !== undefined && { code: input.code }),
        ...(input.name !== undefined && { name: input.name }),
        ...(input.regionId !== undefined && { region_id: input.regionId }),
        ...(input.address !== undefined && { address: input.address }),
      };
      return db.transaction(async (tx) => {
        const before = await stores.byId(actor, id, tx);
        await models.Store.update(changes, { where: { id }, transaction: tx });
        const after = { ...before, ...changes };
        await audit.record({ action: 'store.updated', targetType: 'store', targetId: id, storeId: id, before: auditView(before), after: auditView(after) }, tx);
        return (await present([after]))[0];
      });
    },

    async remove(actor: Actor, id: number) {
      await db.transaction(async (tx) => {
        const before = await stores.byId(actor, id, tx);
        const inUse = (await models.Customer.count({ where: { store_id: id }, transaction: tx })) + (await models.User.count({ where: { store_id: id }, transaction: tx }));
        if (inUse) throw conflict('the store still has customers or users: move them first');
        await models.Store.destroy({ where: { id }, transaction: tx });
        await audit.record({ action: 'store.deleted', targetType: 'store', targetId: id, storeId: id, before: auditView(before) }, tx);
      });
    },
  };
}

export type StoreService = ReturnType<typeof createStoreService>;
