import type { FollowUser, TransferResult, WecomClient } from '@scrm/wecom-adapter';
import type { Transaction } from 'sequelize';
import type { Database } from '../../core/db/database';
import type { Models } from '../../core/db/models';
import type { Logger } from '../../core/logger';
import type { AuditService } from '../audit/audit.service';
import type { TimelineWriter } from '../customers/customer-timeline';
import type { WecomRuntime } from '../wecom/wecom-runtime';
import { completeCustomerItem, failItem, failReasonOf, settleHandover } from './handover-outcome';
import type { HandoverRow } from './handover.models';

/** A submission whose outcome is still unknown after this long, and that WeCom has no record of, never happened. */
const SUBMIT_GRACE_MS = 10 * 60_000;

/**
 * transfer_result lists every transfer between the pair, older ones too: for each customer a waiting
 * entry wins (only one can be in flight), otherwise the latest.
 */
function latestByCustomer(results: TransferResult[]): Map<string, TransferResult> {
  const latest = new Map<string, TransferResult>();
  for (const result of results) {
    if (latest.get(result.external_userid)?.status === 2) continue;
    latest.set(result.external_userid, result);
  }
  return latest;
}

/**
 * Follows handovers until every item is settled: polls transfer_result for waiting customers,
 * applies takeovers and refusals, and turns transfer_fail callbacks into failed items. Every step is
 * idempotent — polling twice, or a callback arriving after the poll, changes nothing more.
 */
export function createHandoverTracker(deps: { db: Database; models: Models; runtime: WecomRuntime; timeline: TimelineWriter; audit: AuditService; log: Logger }) {
  const { db, models, runtime, timeline, audit, log } = deps;

  async function takenFollow(client: WecomClient, externalUserid: string, takeover: string): Promise<FollowUser | null> {
    try {
      return (await client.externalContact.get(externalUserid)).follow_user.find((f) => f.userid === takeover) ?? null;
    } catch (error) {
      log.warn({ err: error, externalUserid }, 'externalcontact/get failed after a takeover; copying the old follow');
      return null;
    }
  }

  async function pollHandover(client: WecomClient, handover: HandoverRow) {
    const items = await models.HandoverItem.findAll({ where: { handover_id: handover.id, item_type: 'customer', status: ['submitting', 'waiting'] }, order: [['id', 'ASC']], raw: true });
    const counts = { done: 0, failed: 0, waiting: 0 };
    if (items.length) {
      const pair = { handover_userid: handover.handover_userid, takeover_userid: handover.takeover_userid };
      const results: TransferResult[] = [];
      const all = handover.kind === 'resigned' ? client.transfers.resignedTransferResultAll(pair) : client.transfers.transferResultAll(pair);
      for await (const result of all) results.push(result);
      const latest = latestByCustomer(results);
      for (const item of items) {
        const result = latest.get(item.target_id);
        if (!result) {
          const stale = item.status === 'submitting' && item.submitted_at && Date.now() - new Date(item.submitted_at).getTime() > SUBMIT_GRACE_MS;
          if (stale && (await failItem(models, item.id, { failReason: 'no_record', detail: 'WeCom has no record of this transfer' }))) counts.failed += 1;
          else counts.waiting += 1;
          continue;
        }
        if (result.status === 2) {
          await models.HandoverItem.update({ status: 'waiting', wecom_status: 2, claim: null }, { where: { id: item.id, status: ['submitting', 'waiting'] } });
          counts.waiting += 1;
        } else if (result.status === 1) {
          const follow = await takenFollow(client, item.target_id, handover.takeover_userid);
          const takeoverAt = result.takeover_time ? new Date(result.takeover_time * 1000) : new Date();
          if (await completeCustomerItem({ db, models, timeline }, handover, item, { follow, takeoverAt })) counts.done += 1;
        } else if (await failItem(models, item.id, { failReason: failReasonOf.status(result.status), wecomStatus: result.status })) {
          counts.failed += 1;
        }
      }
    }
    const finished = await settleHandover(models, handover.id);
    if (counts.done || counts.failed) {
      await audit.record({
        action: 'handover.progressed',
        targetType: 'handover',
        targetId: handover.id,
        storeId: handover.handover_store_id,
        actor: { id: null, name: 'system' },
        after: { done: counts.done, failed: counts.failed, finished },
      });
    }
    return counts;
  }

  return {
    /** Polls WeCom for one handover, or for every running one; returns what settled. */
    async poll(handoverId?: number) {
      const client = await runtime.client();
      if (!client) return { polled: 0, done: 0, failed: 0 };
      const handovers = await models.Handover.findAll({ where: handoverId ? { id: handoverId } : { status: 'running' }, order: [['id', 'ASC']], raw: true });
      const total = { polled: 0, done: 0, failed: 0 };
      for (const handover of handovers) {
        try {
          const counts = await pollHandover(client, handover);
          total.polled += 1;
          total.done += counts.done;
          total.failed += counts.failed;
        } catch (error) {
          if (handoverId) throw error;
          log.warn({ err: error, handoverId: handover.id }, 'polling a handover failed; the next run tries again');
        }
      }
      return total;
    },

    /**
     * transfer_fail: the customer refused, or the takeover employee is at the customer limit. UserID is
     * the takeover employee. Runs in the callback's transaction.
     */
    async onTransferFail(event: { userId: string; externalUserId: string; failReason: string }, tx: Transaction) {
      const open = await models.HandoverItem.findAll({ where: { item_type: 'customer', target_id: event.externalUserId, status: ['submitting', 'waiting'] }, raw: true, transaction: tx });
      if (!open.length) return;
      const handovers = await models.Handover.findAll({ where: { id: open.map((i) => i.handover_id), takeover_userid: event.userId }, raw: true, transaction: tx });
      for (const handover of handovers) {
        for (const item of open.filter((i) => Number(i.handover_id) === Number(handover.id))) {
          const reason = failReasonOf.callback(event.failReason);
          const failed = await failItem(models, item.id, { failReason: reason, wecomStatus: reason === 'customer_refused' ? 3 : reason === 'takeover_limit' ? 4 : null, detail: event.failReason }, tx);
          if (!failed) continue;
          await settleHandover(models, handover.id, tx);
          await audit.record(
            { action: 'handover.item_failed', targetType: 'handover', targetId: handover.id, storeId: handover.handover_store_id, actor: { id: null, name: 'wecom' }, after: { externalUserid: event.externalUserId, reason } },
            tx,
          );
        }
      }
    },
  };
}

export type HandoverTracker = ReturnType<typeof createHandoverTracker>;
