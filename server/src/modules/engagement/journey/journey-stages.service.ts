import type { Transaction } from 'sequelize';
import type { Services } from '../../../app';
import { conflict, notFound, validationFailed, type FieldProblem } from '../../../core/errors';
import { journeyEvent, type JourneyEvent } from './journey-catalogue';
import type { JourneyStageRow } from './journey.models';
import { MAX_STAGES, MIN_STAGES, type StageBody, type StagePatch, type StageView } from './journey.schemas';

type Deps = Pick<Services, 'db' | 'models' | 'audit'>;

export const stageOf = (row: JourneyStageRow): StageView => ({
  id: Number(row.id),
  nameZh: row.name_zh,
  nameEn: row.name_en || null,
  event: journeyEvent.parse({ type: row.event_type, ...JSON.parse(row.event_config) }),
  order: Number(row.sort_order),
});

const columnsOf = (input: StageBody) => {
  const { type, ...config } = input.event;
  return { name_zh: input.nameZh, name_en: input.nameEn || null, event_type: type, event_config: JSON.stringify(config) };
};

/** The journey's stages (客户旅程阶段): listed in order, added at the end, changed, removed and reordered; every change audited. */
export function createJourneyStageService(deps: Deps) {
  const { db, models, audit } = deps;

  const ordered = async (tx?: Transaction) => (await models.JourneyStage.findAll({ order: [['sort_order', 'ASC'], ['id', 'ASC']], raw: true, transaction: tx })).map(stageOf);

  /** A tag or customer stage the event names must exist. */
  async function checkEvent(event: JourneyEvent) {
    const problems: FieldProblem[] = [];
    if (event.type === 'tag_added' && event.tagId && !(await models.Tag.findByPk(event.tagId, { attributes: ['id'], raw: true }))) problems.push({ path: 'body.event.tagId', message: `no tag ${event.tagId}` });
    if (event.type === 'stage_reached' && !(await models.CustomerStage.findOne({ where: { code: event.stage }, attributes: ['id'], raw: true }))) problems.push({ path: 'body.event.stage', message: `no customer stage ${event.stage}` });
    if (problems.length) throw validationFailed(problems);
  }

  async function load(id: number, tx?: Transaction) {
    const row = await models.JourneyStage.findByPk(id, { raw: true, transaction: tx });
    if (!row) throw notFound('journey stage', id);
    return row;
  }

  return {
    list: () => ordered(),

    async create(input: StageBody) {
      await checkEvent(input.event);
      return db.transaction(async (tx) => {
        const stages = await ordered(tx);
        if (stages.length >= MAX_STAGES) throw conflict(`a journey has at most ${MAX_STAGES} stages`, [{ path: 'body', message: `already ${stages.length} stages` }]);
        const order = (stages.at(-1)?.order ?? 0) + 1;
        const created = await models.JourneyStage.create({ ...columnsOf(input), sort_order: order }, { transaction: tx });
        const view = stageOf(created.get({ plain: true }) as JourneyStageRow);
        await audit.record({ action: 'engagement.journey_stage_created', targetType: 'journey_stage', targetId: view.id, after: { ...input, order } }, tx);
        return view;
      });
    },

    async update(id: number, patch: StagePatch) {
      const before = stageOf(await load(id));
      const next: StageBody = { nameZh: patch.nameZh ?? before.nameZh, nameEn: patch.nameEn === undefined ? before.nameEn : patch.nameEn, event: patch.event ?? before.event };
      if (patch.event) await checkEvent(patch.event);
      await db.transaction(async (tx) => {
        await models.JourneyStage.update(columnsOf(next), { where: { id }, transaction: tx });
        await audit.record({ action: 'engagement.journey_stage_updated', targetType: 'journey_stage', targetId: id, before: { nameZh: before.nameZh, nameEn: before.nameEn, event: before.event }, after: { ...patch } }, tx);
      });
      return stageOf(await load(id));
    },

    async remove(id: number) {
      await db.transaction(async (tx) => {
        const before = stageOf(await load(id, tx));
        const count = await models.JourneyStage.count({ transaction: tx });
        if (count <= MIN_STAGES) throw conflict(`a journey needs at least ${MIN_STAGES} stages`, [{ path: 'params.id', message: `only ${count} stages left` }]);
        await models.JourneyStage.destroy({ where: { id }, transaction: tx });
        await audit.record({ action: 'engagement.journey_stage_deleted', targetType: 'journey_stage', targetId: id, before: { nameZh: before.nameZh, event: before.event, order: before.order } }, tx);
      });
    },

    /** `ids` must name every stage exactly once; stage n of the list becomes stage n of the journey. */
    async reorder(ids: number[]) {
      return db.transaction(async (tx) => {
        const before = await ordered(tx);
        const known = new Set(before.map((s) => s.id));
        const problems: FieldProblem[] = ids.flatMap((id, i) => (known.has(id) ? (ids.indexOf(id) === i ? [] : [{ path: `body.ids.${i}`, message: `stage ${id} is listed twice` }]) : [{ path: `body.ids.${i}`, message: `no journey stage ${id}` }]));
        if (!problems.length && ids.length !== before.length) problems.push({ path: 'body.ids', message: `list every stage: ${before.length} expected, ${ids.length} given` });
        if (problems.length) throw validationFailed(problems);
        for (const [index, id] of ids.entries()) await models.JourneyStage.update({ sort_order: index + 1 }, { where: { id }, transaction: tx });
        await audit.record({ action: 'engagement.journey_stages_reordered', targetType: 'journey_stage', targetId: null, before: { ids: before.map((s) => s.id) }, after: { ids } }, tx);
        return ordered(tx);
      });
    },
  };
}

export type JourneyStageService = ReturnType<typeof createJourneyStageService>;
