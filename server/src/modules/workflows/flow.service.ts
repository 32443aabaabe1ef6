import { QueryTypes, type Transaction } from 'sequelize';
import type { Database } from '../../core/db/database';
import type { Models } from '../../core/db/models';
import { AppError, conflict, notFound } from '../../core/errors';
import type { AuditService } from '../audit/audit.service';
import { createAutomaticStepRegistry } from './automatic-steps';
import { flowDefinition, orderConditionFields, type FlowDefinition } from './flow-definition';
import { canonicalJson, diffFlows } from './flow-diff';
import type { FlowRow, FlowVersionRow } from './flow.models';
import { conditionOperators } from './flow-runtime';
import type { CreateFlowInput, SaveDraftInput } from './flow.schemas';
import { validateFlow, type FlowProblem, type FlowReferences } from './flow-validation';
import { orgNamesOf } from '../org/org-names';

/** A new flow's draft: a start task straight to the end. */
export const starterDefinition = (): FlowDefinition => ({
  start: 'start',
  nodes: [
    { key: 'start', name: '开始处理', type: 'task', assignee: { strategy: 'store_manager' }, escalations: [], edges: [{ to: 'done', priority: 0, isDefault: false }] },
    { key: 'done', name: '完成', type: 'end', escalations: [], edges: [] },
  ],
});

const parseDefinition = (json: string): FlowDefinition => flowDefinition.parse(JSON.parse(json));
const iso = (d: Date | string) => new Date(d).toISOString();

/**
 * Flow definitions: a draft per flow saved optimistically, published as immutable numbered versions
 * after validation. Also what the work-order runtime reads: `version(id)` and `latestVersion(code)`.
 */
export function createFlowService(deps: { db: Database; models: Models; audit: AuditService }) {
  const { db, models, audit } = deps;
  const steps = createAutomaticStepRegistry();
  const qi = db.sequelize.getQueryInterface();
  const knownTables = new Set<string>();

  /** Tables of other parts (work orders, calendars) may not be installed; once seen, they stay. */
  async function hasTable(name: string): Promise<boolean> {
    if (knownTables.has(name)) return true;
    if (await qi.tableExists(name)) knownTables.add(name);
    return knownTables.has(name);
  }

  async function calendars(): Promise<Array<{ code: string; name: string }>> {
    if (!(await hasTable('business_calendars'))) return [{ code: 'default', name: 'default' }];
    return db.sequelize.query<{ code: string; name: string }>('SELECT code, name FROM business_calendars ORDER BY code', { type: QueryTypes.SELECT });
  }

  async function references(): Promise<FlowReferences> {
    const roles = await models.Role.findAll({ attributes: ['code'], raw: true });
    return { roleCodes: new Set(roles.map((r) => r.code)), calendarCodes: new Set((await calendars()).map((c) => c.code)), hasAutomaticStep: steps.hasAutomaticStep, automaticStepSettingsProblem: steps.automaticStepSettingsProblem };
  }

  async function orderCounts(versionIds: number[]): Promise<Map<number, number>> {
    const out = new Map<number, number>();
    if (!versionIds.length || !(await hasTable('work_orders'))) return out;
    const rows = await db.sequelize.query<{ id: number; n: number }>('SELECT flow_version_id AS id, COUNT(*) AS n FROM work_orders WHERE flow_version_id IN (:ids) GROUP BY flow_version_id', {
      type: QueryTypes.SELECT,
      replacements: { ids: versionIds },
    });
    for (const row of rows) out.set(Number(row.id), Number(row.n));
    return out;
  }

  async function flowRow(id: number, tx?: Transaction): Promise<FlowRow> {
    const row = await models.Flow.findByPk(id, { raw: true, transaction: tx, lock: tx ? tx.LOCK.UPDATE : undefined });
    if (!row) throw notFound('flow', id);
    return row;
  }

  async function latestRows(flowIds: number[]): Promise<Map<number, FlowVersionRow>> {
    const rows = flowIds.length ? await models.FlowVersion.findAll({ where: { flow_id: flowIds }, order: [['version', 'DESC']], raw: true }) : [];
    const out = new Map<number, FlowVersionRow>();
    for (const row of rows) if (!out.has(Number(row.flow_id))) out.set(Number(row.flow_id), row);
    return out;
  }

  function presentFlow(row: FlowRow, latest: FlowVersionRow | undefined) {
    const draft = parseDefinition(row.draft);
    return {
      id: Number(row.id),
      code: row.code,
      name: row.name,
      description: row.description,
      draftVersion: Number(row.draft_version),
      latestVersion: latest ? Number(latest.version) : null,
      latestPublishedAt: latest ? iso(latest.published_at) : null,
      unpublishedChanges: !latest || canonicalJson(draft) !== canonicalJson(parseDefinition(latest.definition)),
      nodeCount: draft.nodes.length,
      updatedAt: iso(row.updated_at),
      draft,
    };
  }

  async function presentVersions(rows: FlowVersionRow[]) {
    const counts = await orderCounts(rows.map((r) => Number(r.id)));
    const users = await orgNamesOf(models).users(rows.map((r) => r.published_by));
    return rows.map((r) => {
      const definition = parseDefinition(r.definition);
      return {
        id: Number(r.id),
        flowId: Number(r.flow_id),
        version: Number(r.version),
        publishedAt: iso(r.published_at),
        publishedBy: r.published_by === null ? null : (users.get(Number(r.published_by)) ?? null),
        nodeCount: definition.nodes.length,
        orderCount: counts.get(Number(r.id)) ?? 0,
        definition,
      };
    });
  }

  async function versionRow(flowId: number, version: number): Promise<FlowVersionRow> {
    const row = await models.FlowVersion.findOne({ where: { flow_id: flowId, version }, raw: true });
    if (!row) throw notFound(`version ${version} of flow`, flowId);
    return row;
  }

  async function get(id: number) {
    const row = await flowRow(id);
    return presentFlow(row, (await latestRows([id])).get(id));
  }

  async function versionById(versionId: number) {
    const row = await models.FlowVersion.findByPk(versionId, { raw: true });
    if (!row) throw notFound('flow version', versionId);
    const [view] = await presentVersions([row]);
    return view as NonNullable<typeof view>;
  }

  return {
    ...steps,
    references,

    /** What the editor's pickers offer. */
    async options() {
      const roles = await models.Role.findAll({ attributes: ['code', 'name'], order: [['id', 'ASC']], raw: true });
      return { roles: roles.map((r) => ({ code: r.code, name: r.name })), calendars: await calendars(), automaticSteps: steps.automaticSteps(), orderFields: [...orderConditionFields], operators: [...conditionOperators] };
    },

    async list() {
      const rows = await models.Flow.findAll({ order: [['id', 'ASC']], raw: true });
      const latest = await latestRows(rows.map((r) => Number(r.id)));
      return rows.map((r) => {
        const { draft: _draft, ...summary } = presentFlow(r, latest.get(Number(r.id)));
        return summary;
      });
    },

    get,

    async create(input: CreateFlowInput, userId: number | null) {
      if (await models.Flow.findOne({ where: { code: input.code }, raw: true })) throw conflict(`a flow with code ${input.code} exists`, { field: 'code' });
      const id = await db.transaction(async (tx) => {
        const created = await models.Flow.create({ code: input.code, name: input.name, description: input.description ?? null, draft: JSON.stringify(starterDefinition()), updated_by: userId }, { transaction: tx });
        const flowId = Number(created.get('id'));
        await audit.record({ action: 'flow.created', targetType: 'flow', targetId: flowId, after: { code: input.code, name: input.name } }, tx);
        return flowId;
      });
      return get(id);
    },

    /** Saves the draft when `draftVersion` is the stored one; otherwise someone saved in between (409). */
    async saveDraft(id: number, input: SaveDraftInput, userId: number | null) {
      await db.transaction(async (tx) => {
        const row = await flowRow(id, tx);
        const [changed] = await models.Flow.update(
          { draft: JSON.stringify(input.definition), draft_version: input.draftVersion + 1, updated_by: userId, ...(input.name !== undefined && { name: input.name }), ...(input.description !== undefined && { description: input.description }) },
          { where: { id, draft_version: input.draftVersion }, transaction: tx },
        );
        if (!changed) throw conflict(`the draft was saved by someone else (now at draft version ${row.draft_version}); reload it`, { draftVersion: Number(row.draft_version) });
        await audit.record({ action: 'flow.draft_saved', targetType: 'flow', targetId: id, before: { draftVersion: Number(row.draft_version) }, after: { draftVersion: input.draftVersion + 1, nodes: input.definition.nodes.map((n) => n.key).join(',') } }, tx);
      });
      return get(id);
    },

    /** The reasons the draft cannot be published (empty when it can). */
    async check(id: number): Promise<FlowProblem[]> {
      return validateFlow(parseDefinition((await flowRow(id)).draft), await references());
    },

    /** Validates the draft and stores it as version N+1, immutable from then on. */
    async publish(id: number, expectedDraftVersion: number | undefined, userId: number | null) {
      const refs = await references();
      const versionId = await db.transaction(async (tx) => {
        const row = await flowRow(id, tx);
        if (expectedDraftVersion !== undefined && Number(row.draft_version) !== expectedDraftVersion) throw conflict(`the draft changed since (now at draft version ${row.draft_version}); reload it`, { draftVersion: Number(row.draft_version) });
        const definition = parseDefinition(row.draft);
        const problems = validateFlow(definition, refs);
        if (problems.length) throw new AppError('VALIDATION_FAILED', `the flow cannot be published: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, problems);
        const version = Number(row.last_version) + 1;
        const created = await models.FlowVersion.create({ flow_id: id, version, definition: JSON.stringify(definition), published_at: new Date(), published_by: userId }, { transaction: tx });
        await models.Flow.update({ last_version: version }, { where: { id }, transaction: tx });
        await audit.record({ action: 'flow.published', targetType: 'flow', targetId: id, after: { code: row.code, version, nodes: definition.nodes.map((n) => n.key).join(',') } }, tx);
        return Number(created.get('id'));
      });
      return versionById(versionId);
    },

    async versions(flowId: number) {
      await flowRow(flowId);
      const rows = await models.FlowVersion.findAll({ where: { flow_id: flowId }, order: [['version', 'DESC']], raw: true });
      return (await presentVersions(rows)).map(({ definition: _definition, ...summary }) => summary);
    },

    async versionOf(flowId: number, version: number) {
      const [view] = await presentVersions([await versionRow(flowId, version)]);
      return view as NonNullable<typeof view>;
    },

    /** A published version by its id, as the work-order runtime reads it. */
    version: versionById,

    /** The newest published version of the flow with this code (what a new order starts on). */
    async latestVersion(flowCode: string) {
      const flow = await models.Flow.findOne({ where: { code: flowCode }, raw: true });
      if (!flow) throw notFound('flow', flowCode);
      const latest = (await latestRows([Number(flow.id)])).get(Number(flow.id));
      if (!latest) throw new AppError('CONFLICT', `flow ${flowCode} has no published version yet`);
      return versionById(Number(latest.id));
    },

    async diff(flowId: number, from: number, to: number) {
      const [a, b] = [await versionRow(flowId, from), await versionRow(flowId, to)];
      return { from, to, ...diffFlows(parseDefinition(a.definition), parseDefinition(b.definition)) };
    },

    /** Deletes a published version no work order uses. */
    async deleteVersion(flowId: number, version: number) {
      const row = await versionRow(flowId, version);
      await db.transaction(async (tx) => {
        const count = async (sql: string) => Number((await db.sequelize.query<{ n: number }>(sql, { type: QueryTypes.SELECT, replacements: { id: row.id }, transaction: tx }))[0]?.n ?? 0);
        if (await hasTable('work_orders')) {
          const orders = await count('SELECT COUNT(*) AS n FROM work_orders WHERE flow_version_id = :id');
          if (orders > 0) throw conflict(`version ${version} is used by ${orders} work order(s) and cannot be deleted`, { orderCount: orders });
        }
        if ((await hasTable('work_order_migrations')) && (await count('SELECT COUNT(*) AS n FROM work_order_migrations WHERE from_version_id = :id OR to_version_id = :id')) > 0) {
          throw conflict(`version ${version} is named by a migration of work orders and cannot be deleted`);
        }
        await models.FlowVersion.destroy({ where: { id: row.id }, transaction: tx });
        await audit.record({ action: 'flow.version_deleted', targetType: 'flow', targetId: flowId, before: { version } }, tx);
      });
    },

    /** For tests and the seed: a flow's row id by code. */
    async idOf(code: string): Promise<number> {
      const flow = await models.Flow.findOne({ where: { code }, attributes: ['id'], raw: true });
      if (!flow) throw notFound('flow', code);
      return Number(flow.id);
    },
  };
}

export type FlowService = ReturnType<typeof createFlowService>;
