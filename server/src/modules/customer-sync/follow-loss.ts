import type { Transaction } from 'sequelize';
import type { PiiField } from '../../core/crypto/pii-field';
import type { Models } from '../../core/db/models';
import type { JobQueue } from '../../core/jobs/job-queue';
import type { FollowStatus } from '../customers/customer-store.models';
import type { TimelineWriter } from '../customers/customer-timeline';
import { customerColumns, finishCustomers, type CustomerSlice } from './customer-finish';
import type { LossReason } from './loss-alert.model';

export const LOSS_ALERT_JOB = 'customer-sync.loss-alert';

export interface LostFollow {
  id: number;
  customer_id: number;
  wecom_userid: string;
}

/** Why a follow ended, as stored in `lost_reason`. `not_in_wecom`: a reconciliation found it gone. */
export type LostReason = LossReason | 'transferred' | 'not_in_wecom';

const statusOf: Record<LostReason, FollowStatus> = {
  deleted_by_customer: 'deleted_by_customer',
  deleted_by_employee: 'deleted_by_employee',
  not_in_wecom: 'deleted_by_employee',
  transferred: 'transferred',
};
const kindOf: Record<FollowStatus, string> = {
  active: 'follow.added',
  deleted_by_customer: 'follow.removed_by_customer',
  deleted_by_employee: 'follow.removed_by_employee',
  transferred: 'follow.transferred',
};
const summaryOf: Record<LostReason, (userid: string) => string> = {
  deleted_by_customer: (u) => `客户删除了员工 ${u}`,
  deleted_by_employee: (u) => `员工 ${u} 删除了客户`,
  not_in_wecom: (u) => `企业微信中已无员工 ${u} 与客户的关系（对账修复）`,
  transferred: (u) => `员工 ${u} 的客户已转接`,
};

export interface FollowLossDeps {
  models: Models;
  timeline: TimelineWriter;
  phone: PiiField;
  queue: JobQueue;
}

/**
 * Ends follow relations: status, time and reason; their tag marks go with them unless WeCom still
 * shows the relation (a customer who deleted the employee stays in the employee's list); the
 * customers become lost when no follow is active; every loss is on the timeline.
 */
export async function markFollowsLost(deps: FollowLossDeps, follows: LostFollow[], reason: LostReason, at: Date, tx: Transaction): Promise<void> {
  if (!follows.length) return;
  const { models } = deps;
  const status = statusOf[reason];
  await models.CustomerFollow.update({ status, lost_at: at, lost_reason: reason }, { where: { id: follows.map((f) => f.id) }, transaction: tx });
  if (reason !== 'deleted_by_customer') {
    for (const f of follows) await models.CustomerTag.destroy({ where: { customer_id: f.customer_id, wecom_userid: f.wecom_userid }, transaction: tx });
  }
  const customers = (await models.Customer.findAll({ where: { id: [...new Set(follows.map((f) => f.customer_id))] }, attributes: [...customerColumns], raw: true, transaction: tx })) as CustomerSlice[];
  const finished = await finishCustomers({ models, phone: deps.phone }, { customers }, tx);
  const seconds = Math.floor(at.getTime() / 1000);
  await deps.timeline.record(
    [
      ...follows.map((f) => ({
        customerId: Number(f.customer_id),
        storeId: finished.storeOf.get(Number(f.customer_id)) ?? null,
        kind: kindOf[status],
        wecomUserid: f.wecom_userid,
        summary: summaryOf[reason](f.wecom_userid),
        payload: { reason },
        occurredAt: at,
        dedupeKey: `follow.lost:${f.id}:${status}:${seconds}`,
      })),
      ...finished.events.map((e) => ({ ...e, storeId: finished.storeOf.get(e.customerId) ?? null })),
    ],
    tx,
  );
}

/**
 * Records the loss alert for a follow lost through WeCom and queues its sending; the dedupe key
 * (follow, reason, event time) makes a repeated or replayed event one alert.
 */
export async function queueLossAlert(deps: FollowLossDeps, follow: LostFollow, reason: LossReason, at: Date, tx: Transaction): Promise<void> {
  const { models } = deps;
  const dedupeKey = `loss:${follow.id}:${reason}:${Math.floor(at.getTime() / 1000)}`;
  const customer = await models.Customer.findByPk(follow.customer_id, { attributes: ['store_id'], raw: true, transaction: tx });
  await models.LossAlert.bulkCreate(
    [{ follow_id: follow.id, customer_id: follow.customer_id, store_id: customer?.store_id ?? null, wecom_userid: follow.wecom_userid, reason, lost_at: at, status: 'pending', dedupe_key: dedupeKey }],
    { transaction: tx, ignoreDuplicates: true },
  );
  const alert = await models.LossAlert.findOne({ where: { dedupe_key: dedupeKey }, attributes: ['id'], raw: true, transaction: tx });
  if (alert) await deps.queue.enqueue(LOSS_ALERT_JOB, { alertId: Number(alert.id) }, { transaction: tx, dedupeKey: `loss-alert:${alert.id}` });
}
