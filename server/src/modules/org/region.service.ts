import type { Database } from '../../core/db/database';
import type { Models } from '../../core/db/models';
import { AppError, conflict } from '../../core/errors';
import type { Actor } from '../access/actor';
import { scopedQuery } from '../access/scoped-query';
import type { AuditService } from '../audit/audit.service';
import type { RegionInput } from './org.schemas';
import type { RegionRow } from './org.models';

export const regionScope = { region: 'id' } as const;

const present = (row: RegionRow, storeCount: number) => ({
  id: Number(row.id),
  code: row.code,
  name: row.name,
  storeCount,
  createdAt: new Date(row.created_at).toISOString(),
});

const auditView = (row: RegionRow) => ({ code: row.code, name: row.name });

export function createRegionService(deps: { db: Database; models: Models; audit: AuditService }) {
  const { db, models, audit } = deps;
  const regions = scopedQuery<RegionRow>(models.Region, regionScope, 'region');
  const stores = scopedQuery(models.Store, { store: 'id', region: 'region_id' }, 'store');

  return {
    async list(actor: Actor) {
      const rows = await regions.all(actor, {}, [['code', 'ASC']]);
      const counts = await stores.countBy(actor, 'region_id');
      return rows.map((row) => present(row, counts.get(Number(row.id)) ?? 0));
    },

    async create(actor: Actor, input: RegionInput) {
      if (actor.dataScope !== 'all') throw new AppError('FORBIDDEN', 'only company-wide roles create regions');
      return db.transaction(async (tx) => {
        const company = await models.Company.findOne({ order: [['id', 'ASC']], raw: true, transaction: tx });
        if (!company) throw conflict('no company: run the seed first');
        const created = (await models.Region.create({ company_id: Number(company.id), ...input }, { transaction: tx })).get({ plain: true });
        await audit.record({ action: 'region.created', targetType: 'region', targetId: created.id, after: auditView(created) }, tx);
        return present(created, 0);
      });
    },

    async update(actor: Actor, id: number, input: Partial<RegionInput>) {
      return db.transaction(async (tx) => {
        const before = await regions.byId(actor, id, tx);
        await models.Region.update(input, { where: { id }, transaction: tx });
        const after = { ...before, ...input };
        await audit.record({ action: 'region.updated', targetType: 'region', targetId: id, before: auditView(before), after: auditView(after) }, tx);
        return present(after, await models.Store.count({ where: { region_id: id }, transaction: tx }));
      });
    },

    async remove(actor: Actor, id: number) {
      await db.transaction(async (tx) => {
        const before = await regions.byId(actor, id, tx);
        if (await models.Store.count({ where: { region_id: id }, transaction: tx })) throw conflict('the region still has stores: move or delete them first');
        await models.Region.destroy({ where: { id }, transaction: tx });
        await audit.record({ action: 'region.deleted', targetType: 'region', targetId: id, before: auditView(before) }, tx);
      });
    },
  };
}

export type RegionService = ReturnType<typeof createRegionService>;
