import { QueryTypes, type Transaction } from 'sequelize';
import type { Database } from '../../core/db/database';
import type { VersionInForce } from './engine';
import type { PayeeKind, RuleSetDefinition } from './settlement-rules';

interface VersionEntry extends VersionInForce {
  ruleSetId: number;
  version: number;
  effectiveFrom: string;
}

/**
 * Every published rule-set version, answering "which versions are in force on date D": per rule set
 * the version with the greatest effective date ≤ D (ties: the greatest version). Memoized per date,
 * so pricing a million jobs looks each date up once.
 */
export interface VersionCatalogue {
  inForceOn(date: string): VersionInForce[];
  /** Replaces one rule set's versions with a draft in force from the beginning of time (preview). */
  withDraft(ruleSetId: number, definition: RuleSetDefinition): VersionCatalogue;
  /** Only one rule set's versions. */
  only(ruleSetId: number): VersionCatalogue;
}

export function versionCatalogue(entries: VersionEntry[]): VersionCatalogue {
  const bySet = new Map<number, VersionEntry[]>();
  for (const entry of entries) bySet.set(entry.ruleSetId, [...(bySet.get(entry.ruleSetId) ?? []), entry]);
  for (const list of bySet.values()) list.sort((a, b) => (a.effectiveFrom === b.effectiveFrom ? b.version - a.version : b.effectiveFrom.localeCompare(a.effectiveFrom)));
  const sets = [...bySet.values()].sort((a, b) => (a[0]?.ruleSetCode ?? '').localeCompare(b[0]?.ruleSetCode ?? ''));
  const memo = new Map<string, VersionInForce[]>();
  return {
    inForceOn(date) {
      let hit = memo.get(date);
      if (!hit) {
        hit = sets.map((list) => list.find((v) => v.effectiveFrom <= date)).filter((v): v is VersionEntry => v !== undefined);
        memo.set(date, hit);
      }
      return hit;
    },
    withDraft(ruleSetId, definition) {
      const template = entries.find((e) => e.ruleSetId === ruleSetId);
      const others = entries.filter((e) => e.ruleSetId !== ruleSetId);
      if (!template) throw new Error(`rule set ${ruleSetId} is not in the catalogue`);
      return versionCatalogue([...others, { ...template, versionId: 0, version: 0, effectiveFrom: '0000-00-00', definition }]);
    },
    only(ruleSetId) {
      return versionCatalogue(entries.filter((e) => e.ruleSetId === ruleSetId));
    },
  };
}

export async function loadVersionCatalogue(db: Database, tx?: Transaction, extra: Array<{ ruleSetId: number; code: string; payeeKind: PayeeKind }> = []): Promise<VersionCatalogue> {
  const rows = await db.sequelize.query<{ id: number; rule_set_id: number; version: number; effective_from: string; definition: string; code: string; payee_kind: PayeeKind }>(
    'SELECT v.id, v.rule_set_id, v.version, v.effective_from, v.definition, s.code, s.payee_kind FROM settlement_rule_set_versions v JOIN settlement_rule_sets s ON s.id = v.rule_set_id',
    { type: QueryTypes.SELECT, transaction: tx },
  );
  const entries: VersionEntry[] = rows.map((r) => ({
    versionId: Number(r.id),
    ruleSetId: Number(r.rule_set_id),
    version: Number(r.version),
    effectiveFrom: r.effective_from,
    ruleSetCode: r.code,
    payeeKind: r.payee_kind,
    definition: JSON.parse(r.definition) as RuleSetDefinition,
  }));
  // A rule set without a published version still takes part in a preview of its draft.
  for (const set of extra) if (!entries.some((e) => e.ruleSetId === set.ruleSetId)) entries.push({ versionId: 0, ruleSetId: set.ruleSetId, version: 0, effectiveFrom: '9999-99-99', ruleSetCode: set.code, payeeKind: set.payeeKind, definition: { rules: [] } });
  return versionCatalogue(entries);
}
