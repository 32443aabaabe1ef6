import type { Database } from '../../../core/db/database';
import type { Models } from '../../../core/db/models';
import type { RuleFiringRow } from '../engagement.models';
import type { ActionOutcome } from './rule.schemas';

/** A firing's status from its actions: pending while one waits in the job queue, then failed, skipped or done. */
export function firingStatusOf(outcomes: readonly ActionOutcome[]): RuleFiringRow['status'] {
  if (outcomes.some((o) => o.status === 'pending')) return 'pending';
  if (outcomes.some((o) => o.status === 'failed')) return 'failed';
  if (outcomes.some((o) => o.status === 'skipped')) return 'skipped';
  return 'done';
}

/** The firing's note: why actions were skipped or failed (shown with the firing). */
export const firingNoteOf = (outcomes: readonly ActionOutcome[]): string | null =>
  outcomes
    .filter((o) => o.note && (o.status === 'skipped' || o.status === 'failed'))
    .map((o) => `${o.type}: ${o.note}`)
    .join('; ')
    .slice(0, 512) || null;

export const parseOutcomes = (text: string | null): ActionOutcome[] => (text ? (JSON.parse(text) as ActionOutcome[]) : []);

/**
 * Settles one action of a firing done later by a job (a webhook sent, a coupon issued or skipped):
 * read and written under the firing's row lock, so two actions of one firing settling at once both stay.
 */
export async function settleOutcome(deps: { db: Database; models: Models }, firingId: number, index: number, outcome: ActionOutcome): Promise<void> {
  const { db, models } = deps;
  await db.transaction(async (tx) => {
    const firing = await models.EngagementRuleFiring.findByPk(firingId, { raw: true, transaction: tx, lock: tx.LOCK.UPDATE });
    if (!firing) return;
    const outcomes = parseOutcomes(firing.outcomes);
    outcomes[index] = outcome;
    await models.EngagementRuleFiring.update({ outcomes: JSON.stringify(outcomes), status: firingStatusOf(outcomes), error: firingNoteOf(outcomes) }, { where: { id: firingId }, transaction: tx });
  });
}
