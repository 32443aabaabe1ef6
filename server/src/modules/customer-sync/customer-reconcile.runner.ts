import { Op } from 'sequelize';
import type { Database } from '../../core/db/database';
import type { Models } from '../../core/db/models';
import type { SyncRunContext } from '../wecom-sync/sync-runs';
import type { WecomRuntime } from '../wecom/wecom-runtime';
import { userChunks, walkBatchPages } from './batch-walk';
import { entryFromBatch } from './contact-entry';
import type { CustomerApplier } from './customer-apply';
import { markFollowsLost, type FollowLossDeps } from './follow-loss';
import { addCounts, addSamples, changedAnything, emptyCounts, type SyncCounts } from './sync-report';

/** Checkpointed at each group of 100 employees: a resumed run walks that group again. */
export interface ReconcileCursor {
  users: string[];
  chunk: number;
  checked: number;
  counts: SyncCounts;
  samples: Record<string, string[]>;
}

/**
 * Reconciliation: walks WeCom's customers like the full sync and repairs every difference with our
 * store — missing customers and follows, remarks, profiles, tags, search text, status — then ends
 * the active follows of each group of employees that WeCom no longer shows. The report says exactly
 * what it fixed: counts, and sample external user ids per kind of fix.
 */
export function createReconcileRunner(deps: FollowLossDeps & { db: Database; models: Models; runtime: WecomRuntime; apply: CustomerApplier }) {
  const { db, models } = deps;

  return async (context: SyncRunContext<ReconcileCursor>): Promise<Record<string, unknown>> => {
    const client = await deps.runtime.requireAppClient('customer');
    let state: ReconcileCursor = context.cursor ?? {
      users: [...(await client.externalContact.listFollowUsers()).follow_user].sort(),
      chunk: 0,
      checked: 0,
      counts: emptyCounts(),
      samples: {},
    };
    const chunks = userChunks(state.users);
    for (let chunk = state.chunk; chunk < chunks.length; chunk += 1) {
      const users = chunks[chunk] as string[];
      const seen = new Set<string>();
      const counts = emptyCounts();
      const samples: Record<string, string[]> = {};
      let checked = 0;
      // One group at a time: pages of this group only, then the follows of its employees WeCom lacks.
      await walkBatchPages(client, users, { chunk: 0, cursor: '' }, async (page) => {
        const result = await db.transaction((tx) => deps.apply(page.items.map(entryFromBatch), tx));
        for (const item of page.items) {
          const id = result.customerIdOf.get(item.external_contact.external_userid);
          if (id !== undefined) seen.add(`${id}:${item.follow_info.userid}`);
        }
        checked += page.items.length;
        addCounts(counts, result.counts);
        for (const [kind, list] of Object.entries(result.changed)) addSamples(samples, kind, list);
        await context.checkpoint({ cursor: state, processed: state.checked + checked });
      });
      await db.transaction(async (tx) => {
        const active = await models.CustomerFollow.findAll({ where: { wecom_userid: users, status: 'active' }, attributes: ['id', 'customer_id', 'wecom_userid'], raw: true, transaction: tx });
        const gone = active.filter((f) => !seen.has(`${f.customer_id}:${f.wecom_userid}`)).map((f) => ({ id: Number(f.id), customer_id: Number(f.customer_id), wecom_userid: f.wecom_userid }));
        await markFollowsLost(deps, gone, 'not_in_wecom', new Date(), tx);
        counts.followsLost += gone.length;
        if (gone.length) {
          const exts = await models.Customer.findAll({ where: { id: gone.slice(0, 10).map((f) => f.customer_id) }, attributes: ['external_userid'], raw: true, transaction: tx });
          addSamples(samples, 'followsLost', exts.map((c) => String(c.external_userid)));
        }
      });
      const merged = { ...state.samples };
      for (const [kind, list] of Object.entries(samples)) addSamples(merged, kind, list);
      state = { ...state, chunk: chunk + 1, checked: state.checked + checked, counts: addCounts({ ...state.counts }, counts), samples: merged };
      await context.checkpoint({ cursor: state, processed: state.checked });
    }
    const unlisted = await models.CustomerFollow.count({ where: { status: 'active', wecom_userid: { [Op.notIn]: state.users.length ? state.users : [''] } } });
    return {
      followUsers: state.users.length,
      checkedRelations: state.checked,
      fixed: changedAnything(state.counts) ? state.counts : {},
      fixedTotal: Object.entries(state.counts).reduce((sum, [key, n]) => (key === 'unknownTagIds' ? sum : sum + n), 0),
      unknownTagIds: state.counts.unknownTagIds,
      samples: state.samples,
      // Follows of employees WeCom no longer lists as follow users (left, out of the app's range): left to the handover.
      activeFollowsOfUnlistedUsers: unlisted,
    };
  };
}
