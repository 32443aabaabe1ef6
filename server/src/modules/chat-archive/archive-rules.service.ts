import type { Transaction } from 'sequelize';
import type { Database } from '../../core/db/database';
import type { Models } from '../../core/db/models';
import { notFound } from '../../core/errors';
import type { Actor } from '../access/actor';
import { assertStoreInScope } from '../access/data-scope';
import type { AuditService } from '../audit/audit.service';
import type { ArchiveRuleRow } from './archive-compliance.models';
import type { RuleInput, RuleView } from './archive-compliance.schemas';

const parseIds = (json: string | null): number[] => (json ? (JSON.parse(json) as number[]).map(Number) : []);

export const presentRule = (row: ArchiveRuleRow): RuleView => ({
  id: Number(row.id),
  name: row.name,
  kind: row.kind,
  keywords: row.keywords ? (JSON.parse(row.keywords) as string[]) : [],
  pattern: row.pattern,
  severity: row.severity,
  storeIds: parseIds(row.store_ids),
  enabled: Boolean(row.enabled),
  updatedAt: row.updated_at,
});

/** The stored columns of a validated rule: only the part its kind uses is kept. */
function columnsOf(input: RuleInput) {
  const keywords = input.kind === 'word' ? [...new Set((input.keywords ?? []).map((word) => word.trim()))] : null;
  const storeIds = input.storeIds?.length ? [...new Set(input.storeIds)].sort((a, b) => a - b) : null;
  return {
    name: input.name,
    kind: input.kind,
    keywords: keywords ? JSON.stringify(keywords) : null,
    pattern: input.kind === 'regex' ? (input.pattern ?? null) : null,
    severity: input.severity,
    store_ids: storeIds ? JSON.stringify(storeIds) : null,
    enabled: input.enabled,
  };
}

/** Compliance rules (sensitive words, regular expressions) for the archive: every change audited. */
export function createArchiveRules(deps: { db: Database; models: Models; audit: AuditService }) {
  const { db, models, audit } = deps;

  const checkStores = (actor: Actor, input: RuleInput) => input.storeIds?.forEach((storeId, i) => assertStoreInScope(actor, storeId, `body.storeIds.${i}`));

  async function find(id: number, tx: Transaction) {
    const row = await models.ArchiveRule.findByPk(id, { transaction: tx, lock: tx.LOCK.UPDATE });
    if (!row) throw notFound('compliance rule', id);
    return row;
  }

  return {
    async list(): Promise<RuleView[]> {
      const rows = await models.ArchiveRule.findAll({ order: [['id', 'ASC']], raw: true });
      return rows.map(presentRule);
    },

    async create(actor: Actor, input: RuleInput): Promise<RuleView> {
      checkStores(actor, input);
      return db.transaction(async (tx) => {
        const row = await models.ArchiveRule.create(columnsOf(input), { transaction: tx });
        const view = presentRule(row.get({ plain: true }));
        await audit.record({ action: 'archive.rule_created', targetType: 'archive_rule', targetId: view.id, after: { ...view } }, tx);
        return view;
      });
    },

    async update(actor: Actor, id: number, input: RuleInput): Promise<RuleView> {
      checkStores(actor, input);
      return db.transaction(async (tx) => {
        const row = await find(id, tx);
        const before = presentRule(row.get({ plain: true }));
        await row.update(columnsOf(input), { transaction: tx });
        const after = presentRule(row.get({ plain: true }));
        await audit.record({ action: 'archive.rule_updated', targetType: 'archive_rule', targetId: id, before: { ...before }, after: { ...after } }, tx);
        return after;
      });
    },

    async remove(id: number): Promise<void> {
      await db.transaction(async (tx) => {
        const row = await find(id, tx);
        const before = presentRule(row.get({ plain: true }));
        await row.destroy({ transaction: tx });
        await audit.record({ action: 'archive.rule_deleted', targetType: 'archive_rule', targetId: id, before: { ...before } }, tx);
      });
    },
  };
}

export type ArchiveRules = ReturnType<typeof createArchiveRules>;
