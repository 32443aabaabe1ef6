import type { WecomClient } from '@scrm/wecom-adapter';
import { Op } from 'sequelize';
import type { Database } from '../../core/db/database';
import type { Models } from '../../core/db/models';
import type { Logger } from '../../core/logger';
import type { SyncRunContext } from '../wecom-sync/sync-runs';
import type { WecomRuntime } from '../wecom/wecom-runtime';
import { walkBatchPages, type WalkPosition } from './batch-walk';
import { entryFromBatch } from './contact-entry';
import type { CustomerApplier } from './customer-apply';
import { addCounts, addSamples, emptyCounts, type SyncCounts } from './sync-report';

/** Saved after every stored page: a resumed run carries on from here with the counts so far. */
export interface FullSyncCursor extends WalkPosition {
  users: string[];
  pages: number;
  entries: number;
  total: number | null;
  counts: SyncCounts;
  samples: Record<string, string[]>;
  unknownTagIds: string[];
}

const COUNT_CONCURRENCY = 4;

/** Relations per employee (externalcontact/list), for the progress bar; a separate API budget. */
async function countRelations(client: WecomClient, users: string[]): Promise<number> {
  let total = 0;
  let at = 0;
  const worker = async () => {
    while (at < users.length) {
      const userid = users[at++] as string;
      total += (await client.externalContact.list(userid)).external_userid.length;
    }
  };
  await Promise.all(Array.from({ length: COUNT_CONCURRENCY }, worker));
  return total;
}

/**
 * The full customer sync: get_follow_user_list, then batch/get_by_user over every follow user,
 * 100 employees per call and 100 relations per page. Each page is stored in one transaction and
 * then checkpointed, so a run killed mid-way resumes at the last stored page; storing a page twice
 * changes nothing, so no customer is duplicated or missed.
 */
export function createFullSyncRunner(deps: { db: Database; models: Models; runtime: WecomRuntime; apply: CustomerApplier; log: Logger; afterUnknownTags?: () => Promise<void> }) {
  const { db, models } = deps;

  return async (context: SyncRunContext<FullSyncCursor>): Promise<Record<string, unknown>> => {
    const client = await deps.runtime.requireAppClient('customer');
    let state: FullSyncCursor = context.cursor ?? {
      users: [...(await client.externalContact.listFollowUsers()).follow_user].sort(),
      chunk: 0,
      cursor: '',
      pages: 0,
      entries: 0,
      total: null,
      counts: emptyCounts(),
      samples: {},
      unknownTagIds: [],
    };
    if (!context.cursor) await context.checkpoint({ cursor: state, processed: 0, total: null });
    const counting = state.total === null ? countRelations(client, state.users).catch((error: unknown) => (deps.log.warn({ err: error }, 'could not count relations'), null)) : null;
    let total = state.total;
    void counting?.then((n) => (total = n));

    await walkBatchPages(client, state.users, state, async (page) => {
      const result = await db.transaction((tx) => deps.apply(page.items.map(entryFromBatch), tx));
      const samples = { ...state.samples };
      for (const [kind, list] of Object.entries(result.changed)) addSamples(samples, kind, list);
      state = {
        ...state,
        ...page.next,
        pages: state.pages + 1,
        entries: state.entries + page.items.length,
        total,
        counts: addCounts({ ...state.counts }, result.counts),
        samples,
        unknownTagIds: [...new Set([...state.unknownTagIds, ...result.unknownTagIds])].slice(0, 100),
      };
      await context.checkpoint({ cursor: state, processed: state.entries, total: total ?? null });
    });
    if (counting) await counting;
    const customers = await models.Customer.count({ where: { external_userid: { [Op.ne]: null }, status: { [Op.ne]: 'merged' } } });
    if (state.unknownTagIds.length) await deps.afterUnknownTags?.();
    await context.checkpoint({ cursor: state, processed: state.entries, total: state.entries });
    return {
      followUsers: state.users.length,
      pages: state.pages,
      relations: state.entries,
      customers,
      ...state.counts,
      unknownTagIdSamples: state.unknownTagIds.slice(0, 10),
      samples: state.samples,
    };
  };
}
