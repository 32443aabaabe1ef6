import { Op } from 'sequelize';
import type { Database } from '../../core/db/database';
import type { Models } from '../../core/db/models';
import { AppError, conflict, notFound } from '../../core/errors';
import type { Actor } from '../access/actor';
import type { AuditService } from '../audit/audit.service';
import { ruleSetProblems } from './engine';
import { periodCodeOf } from './settlement-dates';
import { ruleSetDefinition, type RuleSetDefinition } from './settlement-rules';
import type { RuleSetRow, RuleSetVersionRow } from './settlement.models';
import type { DraftInput, RuleSetInput } from './settlement.schemas';

const iso = (d: Date) => new Date(d).toISOString();
const versionSummary = (v: RuleSetVersionRow) => ({ id: Number(v.id), version: Number(v.version), effectiveFrom: v.effective_from, publishedAt: iso(v.published_at), publishedBy: v.published_by === null ? null : Number(v.published_by) });

/** Rule problems are answered 422 with one `{ path, message }` per problem (paths like `rules[2].condition…`). */
function assertValid(definition: RuleSetDefinition): void {
  const problems = ruleSetProblems(definition);
  if (problems.length) throw new AppError('UNPROCESSABLE', `the rule set has ${problems.length} problem(s): ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, problems);
}

/**
 * Rule sets: one draft per set (optimistic `draftVersion`), published as immutable versions with an
 * effective date that may not fall in a closing or closed period.
 */
export function createRuleSets(deps: { db: Database; models: Models; audit: AuditService }) {
  const { db, models, audit } = deps;

  async function rowOf(id: number): Promise<RuleSetRow> {
    const row = await models.RuleSet.findByPk(id, { raw: true });
    if (!row) throw notFound('rule set', id);
    return row;
  }

  async function detail(id: number) {
    const row = await rowOf(id);
    const versions = await models.RuleSetVersion.findAll({ where: { rule_set_id: id }, order: [['version', 'DESC']], raw: true });
    return { id: Number(row.id), code: row.code, name: row.name, payeeKind: row.payee_kind, draft: JSON.parse(row.draft) as RuleSetDefinition, draftVersion: Number(row.draft_version), versions: versions.map(versionSummary) };
  }

  return {
    detail,
    rowOf,

    async list() {
      const sets = await models.RuleSet.findAll({ order: [['code', 'ASC']], raw: true });
      const versions = await models.RuleSetVersion.findAll({ attributes: ['rule_set_id', 'version', 'effective_from'], raw: true });
      return sets.map((s) => {
        const latest = versions.filter((v) => Number(v.rule_set_id) === Number(s.id)).sort((a, b) => b.version - a.version)[0];
        return { id: Number(s.id), code: s.code, name: s.name, payeeKind: s.payee_kind, draftVersion: Number(s.draft_version), latestVersion: latest ? Number(latest.version) : null, latestEffectiveFrom: latest?.effective_from ?? null };
      });
    },

    async create(actor: Actor, input: RuleSetInput) {
      const id = await db.transaction(async (tx) => {
        if (await models.RuleSet.findOne({ where: { code: input.code }, transaction: tx })) throw conflict(`rule set ${input.code} exists`, [{ path: 'body.code', message: 'already taken' }]);
        const created = await models.RuleSet.create({ code: input.code, name: input.name, payee_kind: input.payeeKind, draft: JSON.stringify({ rules: [] }), draft_version: 1 }, { transaction: tx });
        const newId = Number(created.get('id'));
        await audit.record({ action: 'settlement.rule_set_created', targetType: 'settlement_rule_set', targetId: newId, after: { ...input } }, tx);
        return newId;
      });
      return detail(id);
    },

    async version(id: number, versionId: number) {
      const row = await models.RuleSetVersion.findOne({ where: { id: versionId, rule_set_id: id }, raw: true });
      if (!row) throw notFound('rule set version', versionId);
      return { id: Number(row.id), version: Number(row.version), effectiveFrom: row.effective_from, definition: JSON.parse(row.definition) as RuleSetDefinition };
    },

    async saveDraft(actor: Actor, id: number, input: DraftInput) {
      assertValid(input.definition);
      await db.transaction(async (tx) => {
        const row = await models.RuleSet.findByPk(id, { raw: true, transaction: tx, lock: tx.LOCK.UPDATE });
        if (!row) throw notFound('rule set', id);
        const [changed] = await models.RuleSet.update({ draft: JSON.stringify(input.definition), draft_version: input.draftVersion + 1 }, { where: { id, draft_version: input.draftVersion }, transaction: tx });
        if (changed !== 1) throw conflict(`the draft changed since you opened it (now version ${row.draft_version}): reload it`, [{ path: 'body.draftVersion', message: 'stale' }]);
        await audit.record({ action: 'settlement.rule_set_draft_saved', targetType: 'settlement_rule_set', targetId: id, before: { draftVersion: row.draft_version }, after: { draftVersion: input.draftVersion + 1, rules: input.definition.rules.length } }, tx);
      });
      return detail(id);
    },

    async publish(actor: Actor, id: number, effectiveFrom: string) {
      await db.transaction(async (tx) => {
        const row = await models.RuleSet.findByPk(id, { raw: true, transaction: tx, lock: tx.LOCK.UPDATE });
        if (!row) throw notFound('rule set', id);
        const definition = ruleSetDefinition.parse(JSON.parse(row.draft));
        assertValid(definition);
        const locked = await models.Period.findOne({ where: { code: { [Op.gte]: periodCodeOf(effectiveFrom) }, status: ['closing', 'closed'] }, raw: true, transaction: tx });
        if (locked) throw new AppError('UNPROCESSABLE', `effectiveFrom ${effectiveFrom} is not after period ${locked.code}, which is ${locked.status}`, [{ path: 'body.effectiveFrom', message: `falls in or before the ${locked.status} period ${locked.code}` }]);
        const last = await models.RuleSetVersion.findOne({ where: { rule_set_id: id }, order: [['version', 'DESC']], attributes: ['version'], raw: true, transaction: tx });
        const version = Number(last?.version ?? 0) + 1;
        await models.RuleSetVersion.create({ rule_set_id: id, version, effective_from: effectiveFrom, definition: row.draft, published_by: actor.userId, published_at: new Date() }, { transaction: tx });
        await audit.record({ action: 'settlement.rule_set_published', targetType: 'settlement_rule_set', targetId: id, after: { code: row.code, version, effectiveFrom } }, tx);
      });
      return detail(id);
    },
  };
}

export type RuleSets = ReturnType<typeof createRuleSets>;
