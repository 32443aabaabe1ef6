import { fn, col } from 'sequelize';
import { AppError, conflict, notFound, validationFailed } from '../../core/errors';
import type { Actor } from '../access/actor';
import type { CustomerStageRow } from './customer-store.models';
import type { StageCreate, StagePatch } from './customer-config.schemas';
import { scopedCustomers, type Customer360Deps } from './customer-360.deps';
import { assertOrder } from './customer-order';

/** The stage every new customer starts in (the column's default); it cannot be deleted. */
export const INITIAL_STAGE = 'new';
const CHUNK = 500;

const auditView = (row: CustomerStageRow) => ({ code: row.code, nameZh: row.name_zh, nameEn: row.name_en, sortOrder: Number(row.sort_order) });

/** Configurable lifecycle stages, and moving a customer from one to another. */
export function createCustomerStagesService(deps: Customer360Deps) {
  const { db, models, audit, timeline } = deps;
  const customers = scopedCustomers(models);

  const rows = () => models.CustomerStage.findAll({ order: [['sort_order', 'ASC'], ['id', 'ASC']], raw: true });

  async function stageById(id: number) {
    const row = await models.CustomerStage.findByPk(id, { raw: true });
    if (!row) throw notFound('stage', id);
    return row;
  }

  async function present(actor: Actor, list: CustomerStageRow[]) {
    const counted = (await models.Customer.findAll({
      where: customers.where(actor, {}),
      attributes: ['stage', [fn('COUNT', col('id')), 'count']],
      group: ['stage'],
      raw: true,
    })) as unknown as Array<{ stage: string; count: number | string }>;
    const counts = new Map(counted.map((c) => [c.stage, Number(c.count)]));
    return list.map((row) => ({
      id: Number(row.id),
      code: row.code,
      name: { 'zh-CN': row.name_zh, 'en-US': row.name_en },
      nameZh: row.name_zh,
      nameEn: row.name_en,
      sortOrder: Number(row.sort_order),
      customerCount: counts.get(row.code) ?? 0,
    }));
  }

  return {
    list: async (actor: Actor) => present(actor, await rows()),

    async create(actor: Actor, input: StageCreate) {
      if (await models.CustomerStage.findOne({ where: { code: input.code }, raw: true })) {
        throw conflict(`a stage with code ${input.code} already exists`, [{ path: 'body.code', message: 'already in use' }]);
      }
      const last = (await models.CustomerStage.max('sort_order')) as number | null;
      const created = await db.transaction(async (tx) => {
        const row = (await models.CustomerStage.create({ code: input.code, name_zh: input.nameZh, name_en: input.nameEn, sort_order: Number(last ?? -1) + 1 }, { transaction: tx })).get({ plain: true });
        await audit.record({ action: 'customer_stage.created', targetType: 'customer_stage', targetId: row.id, after: auditView(row) }, tx);
        return row;
      });
      return (await present(actor, [created]))[0];
    },

    async update(actor: Actor, id: number, input: StagePatch) {
      const before = await stageById(id);
      const after = { ...before, ...(input.nameZh !== undefined && { name_zh: input.nameZh }), ...(input.nameEn !== undefined && { name_en: input.nameEn }) };
      await db.transaction(async (tx) => {
        await models.CustomerStage.update({ name_zh: after.name_zh, name_en: after.name_en }, { where: { id }, transaction: tx });
        await audit.record({ action: 'customer_stage.updated', targetType: 'customer_stage', targetId: id, before: auditView(before), after: auditView(after) }, tx);
      });
      return (await present(actor, [after]))[0];
    },

    async reorder(actor: Actor, ids: number[]) {
      const list = await rows();
      assertOrder(list.map((s) => Number(s.id)), ids);
      await db.transaction(async (tx) => {
        for (const [index, id] of ids.entries()) await models.CustomerStage.update({ sort_order: index }, { where: { id }, transaction: tx });
        await audit.record({ action: 'customer_stage.reordered', targetType: 'customer_stage', before: { order: list.map((s) => s.code) }, after: { order: ids.map((id) => list.find((s) => Number(s.id) === id)?.code) } }, tx);
      });
      return present(actor, await rows());
    },

    /**
     * Deletes a stage. Customers at it (in any store) must go somewhere: without `replaceWith` a stage
     * in use is refused; with it, they move there, each with a timeline entry.
     */
    async remove(id: number, replaceWith: string | undefined) {
      const stage = await stageById(id);
      if (stage.code === INITIAL_STAGE) throw conflict(`stage ${INITIAL_STAGE} is where new customers start; it cannot be deleted`);
      const inUse = await models.Customer.count({ where: { stage: stage.code } });
      let replacement: CustomerStageRow | null = null;
      if (replaceWith !== undefined) {
        replacement = await models.CustomerStage.findOne({ where: { code: replaceWith }, raw: true });
        if (!replacement || replacement.code === stage.code) throw validationFailed([{ path: 'query.replaceWith', message: replacement ? 'choose another stage than the one deleted' : `no stage ${replaceWith}` }]);
      } else if (inUse > 0) {
        throw new AppError('CONFLICT', `stage ${stage.code} is used by ${inUse} customers: choose a stage to move them to (replaceWith)`, { inUse, path: 'query.replaceWith' });
      }
      await db.transaction(async (tx) => {
        if (replacement && inUse > 0) {
          for (;;) {
            const batch = await models.Customer.findAll({ where: { stage: stage.code }, attributes: ['id', 'store_id'], limit: CHUNK, raw: true, transaction: tx });
            if (!batch.length) break;
            await models.Customer.update({ stage: replacement.code }, { where: { id: batch.map((c) => c.id) }, transaction: tx });
            await timeline.record(
              batch.map((c) => ({
                customerId: Number(c.id),
                storeId: c.store_id,
                kind: 'stage.changed',
                summary: `阶段：${stage.name_zh} → ${replacement?.name_zh}（阶段已删除）`,
                payload: { from: stage.code, to: replacement?.code, reason: 'stage_deleted' },
              })),
              tx,
            );
          }
        }
        await models.CustomerStage.destroy({ where: { id }, transaction: tx });
        await audit.record({ action: 'customer_stage.deleted', targetType: 'customer_stage', targetId: id, before: auditView(stage), after: { replaceWith: replacement?.code ?? null, customersMoved: inUse } }, tx);
      });
      return { moved: inUse };
    },

    /** Moves one customer to another stage. */
    async change(actor: Actor, customerId: number, code: string) {
      const target = await models.CustomerStage.findOne({ where: { code }, raw: true });
      if (!target) throw validationFailed([{ path: 'body.stage', message: `no stage ${code}` }]);
      return db.transaction(async (tx) => {
        const row = await customers.byId(actor, customerId, tx);
        if (row.stage !== code) {
          const from = await models.CustomerStage.findOne({ where: { code: row.stage }, raw: true, transaction: tx });
          await models.Customer.update({ stage: code }, { where: { id: customerId }, transaction: tx });
          await timeline.record(
            { customerId, storeId: row.store_id, kind: 'stage.changed', summary: `阶段：${from?.name_zh ?? row.stage} → ${target.name_zh}`, payload: { from: row.stage, to: code }, actorUserId: actor.userId },
            tx,
          );
          await audit.record({ action: 'customer.stage_changed', targetType: 'customer', targetId: customerId, storeId: row.store_id, before: { stage: row.stage }, after: { stage: code } }, tx);
          await deps.events?.emit('customer.stageChanged', { customerId, storeId: row.store_id === null ? null : Number(row.store_id), from: row.stage, to: code }, tx);
        }
        return { stage: code, stageName: { 'zh-CN': target.name_zh, 'en-US': target.name_en } };
      });
    },
  };
}

export type CustomerStagesService = ReturnType<typeof createCustomerStagesService>;
