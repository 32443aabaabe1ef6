import { z } from 'zod';
import type { Models } from '../../../core/db/models';
import type { Database } from '../../../core/db/database';
import type { JobQueue } from '../../../core/jobs/job-queue';
import { AppError } from '../../../core/errors';
import type { FilterPort } from '../../plugins/filter-port';
import { COUPON_JOB } from './rule-follow-ups';
import { parseOutcomes, settleOutcome } from './rule-outcomes';
import type { RuleAction } from './rule.schemas';

const NOBODY_ISSUED = 'no enabled plugin issued a coupon (coupon.issue)';

/**
 * The `issue_coupon` action of one firing: runs the `coupon.issue` filter of the plugin host. A shop
 * plugin answers with what it issued; when none does (no plugin implements it, or it is disabled) or
 * one vetoes, the action is recorded as skipped with the reason, which is not an error.
 */
export function registerCouponJob(deps: { db: Database; models: Models; queue: JobQueue; filters: FilterPort }): void {
  const { models, queue } = deps;
  queue.register({
    type: COUPON_JOB,
    payload: z.object({ firingId: z.number().int(), index: z.number().int().min(0) }),
    async handle({ firingId, index }) {
      const firing = await models.EngagementRuleFiring.findByPk(firingId, { raw: true });
      if (!firing || parseOutcomes(firing.outcomes)[index]?.status !== 'pending') return;
      const rule = await models.EngagementRule.findByPk(firing.rule_id, { attributes: ['name', 'actions'], raw: true });
      const action = rule ? (JSON.parse(rule.actions) as RuleAction[])[index] : undefined;
      if (!rule || action?.type !== 'issue_coupon') {
        await settleOutcome(deps, firingId, index, { type: 'issue_coupon', status: 'skipped', note: 'the rule or its coupon action was removed' });
        return;
      }
      try {
        const result = await deps.filters.run('coupon.issue', { customerId: Number(firing.customer_id), couponCode: action.couponCode, reason: action.reason ?? `自动化规则「${rule.name}」` });
        const issued = result.issued;
        await settleOutcome(deps, firingId, index, issued ? { type: action.type, status: 'done', note: `coupon ${issued.couponId}` } : { type: action.type, status: 'skipped', note: NOBODY_ISSUED });
      } catch (error) {
        if (!(error instanceof AppError) || error.status >= 500) throw error;
        await settleOutcome(deps, firingId, index, { type: action.type, status: 'skipped', note: error.message.slice(0, 200) });
      }
    },
  });
}
