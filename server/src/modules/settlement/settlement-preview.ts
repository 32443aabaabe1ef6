import type { Database } from '../../core/db/database';
import type { Models } from '../../core/db/models';
import { computePeriod } from './settlement-compute';
import type { Periods } from './settlement-periods';
import type { RuleSets } from './settlement-rule-sets';
import { loadVersionCatalogue } from './settlement-versions';

/**
 * What a draft would pay: the period's jobs priced by the draft as if in force for the whole period
 * (rebates included) against the rule set's published versions actually in force. Writes nothing.
 */
export function createPreview(deps: { db: Database; models: Models; periods: Periods; ruleSets: RuleSets }) {
  const { db, models, periods, ruleSets } = deps;
  return {
    async preview(ruleSetId: number, periodId: number) {
      const set = await ruleSets.detail(ruleSetId);
      const period = await periods.get(periodId);
      const catalogue = (await loadVersionCatalogue(db, undefined, [{ ruleSetId, code: set.code, payeeKind: set.payeeKind }])).only(ruleSetId);
      const run = (withDraft: boolean) =>
        computePeriod({ db, models }, { periodId, endsOn: period.ends_on, catalogue: withDraft ? catalogue.withDraft(ruleSetId, set.draft) : catalogue });
      const [published, drafted] = [await run(false), await run(true)];
      const payeeIds = [...new Set([...published.payees.keys(), ...drafted.payees.keys()])].sort((a, b) => a - b);
      const payees = new Map((await models.Payee.findAll({ where: { id: payeeIds }, raw: true })).map((p) => [Number(p.id), p]));
      const rows = payeeIds.map((payeeId) => {
        const publishedFen = published.payees.get(payeeId)?.totalFen ?? 0;
        const draftFen = drafted.payees.get(payeeId)?.totalFen ?? 0;
        return { payeeId, payeeName: payees.get(payeeId)?.name ?? '', payeeKind: payees.get(payeeId)?.kind ?? set.payeeKind, publishedFen, draftFen, diffFen: draftFen - publishedFen };
      });
      const sum = (key: 'publishedFen' | 'draftFen' | 'diffFen') => rows.reduce((total, row) => total + row[key], 0);
      return { periodId, payees: rows, totals: { publishedFen: sum('publishedFen'), draftFen: sum('draftFen'), diffFen: sum('diffFen') }, jobs: published.jobs };
    },
  };
}
