import { Op, type Transaction } from 'sequelize';
import type { FollowUser } from '@scrm/wecom-adapter';
import type { Database } from '../../core/db/database';
import type { Models } from '../../core/db/models';
import { reassignCustomerStores } from '../customers/customer-store-assignment';
import type { TimelineWriter } from '../customers/customer-timeline';
import type { HandoverItemRow, HandoverRow } from './handover.models';

export const OPEN_STATUSES = ['queued', 'submitting', 'waiting'] as const;
const UNSETTLED = ['submitting', 'waiting'];

/** Why an item failed, from WeCom's transfer_result status, transfer_fail reason or per-item errcode. */
export const failReasonOf = {
  status: (status: number) => (status === 3 ? 'customer_refused' : status === 4 ? 'takeover_limit' : 'no_record'),
  callback: (reason: string) => (reason === 'customer_refused' ? 'customer_refused' : reason === 'customer_limit_exceed' ? 'takeover_limit' : 'wecom_error'),
  errcode(errcode: number): string {
    switch (errcode) {
      case 40096:
      case 701008:
        return 'not_found';
      case 84061:
        return 'no_relation';
      case 40100:
      case 90507:
        return 'in_progress';
      case 40128:
        return 'too_frequent';
      case 90500:
        return 'owner_not_departed';
      case 90502:
        return 'owner_departed';
      case 90504:
      case 90508:
        return 'already_transferred';
      default:
        return 'wecom_error';
    }
  },
};

/** Marks a handover done once none of its items is open; returns whether it finished now. */
export async function settleHandover(models: Models, handoverId: number, tx?: Transaction): Promise<boolean> {
  const open = await models.HandoverItem.count({ where: { handover_id: handoverId, status: [...OPEN_STATUSES] }, transaction: tx });
  const [changed] = open
    ? await models.Handover.update({ status: 'running', finished_at: null }, { where: { id: handoverId, status: 'done' }, transaction: tx })
    : await models.Handover.update({ status: 'done', finished_at: new Date() }, { where: { id: handoverId, status: 'running' }, transaction: tx });
  return !open && changed === 1;
}

/** Fails an unsettled item; a no-op for one already done or failed (events come twice and out of order). */
export async function failItem(models: Models, itemId: number, reason: { failReason: string; errcode?: number | null; wecomStatus?: number | null; detail?: string | null }, tx?: Transaction): Promise<boolean> {
  const [changed] = await models.HandoverItem.update(
    { status: 'failed', fail_reason: reason.failReason, errcode: reason.errcode ?? null, wecom_status: reason.wecomStatus ?? null, fail_detail: reason.detail?.slice(0, 255) ?? null, settled_at: new Date(), claim: null },
    { where: { id: itemId, status: { [Op.in]: [...OPEN_STATUSES] } }, transaction: tx },
  );
  return changed === 1;
}

/**
 * WeCom took the customer over: the old follow becomes `transferred`, the takeover employee gets the
 * follow (as WeCom reports it, else a copy of the old one) with the same corp tags, the customer's
 * store follows its new primary follow user, and the timeline says so. Idempotent: an item already
 * done changes nothing.
 */
export async function completeCustomerItem(
  deps: { db: Database; models: Models; timeline: TimelineWriter },
  handover: HandoverRow,
  item: HandoverItemRow,
  taken: { follow: FollowUser | null; takeoverAt: Date },
): Promise<boolean> {
  const { db, models, timeline } = deps;
  return db.transaction(async (tx) => {
    const [changed] = await models.HandoverItem.update(
      { status: 'done', wecom_status: 1, errcode: 0, fail_reason: null, fail_detail: null, settled_at: taken.takeoverAt, claim: null },
      { where: { id: item.id, status: UNSETTLED }, transaction: tx },
    );
    if (changed !== 1) return false;
    const customer = await models.Customer.findOne({ where: { external_userid: item.target_id }, raw: true, transaction: tx });
    if (!customer) return true;
    const customerId = Number(customer.id);
    const old = await models.CustomerFollow.findOne({ where: { customer_id: customerId, wecom_userid: handover.handover_userid }, raw: true, transaction: tx });
    if (old) await models.CustomerFollow.update({ status: 'transferred' }, { where: { id: old.id }, transaction: tx });
    const f = taken.follow;
    const fields = {
      user_id: handover.takeover_user_id,
      remark: f ? (f.remark ?? null) : (old?.remark ?? null),
      description: f ? (f.description ?? null) : (old?.description ?? null),
      remark_corp_name: f ? (f.remark_corp_name ?? null) : (old?.remark_corp_name ?? null),
      remark_mobiles_enc: old?.remark_mobiles_enc ?? null,
      remark_mobiles_bidx: old?.remark_mobiles_bidx ?? null,
      add_way: f?.add_way ?? old?.add_way ?? null,
      state: f?.state ?? old?.state ?? null,
      oper_userid: f?.oper_userid ?? handover.takeover_userid,
      added_at: f?.createtime ? new Date(f.createtime * 1000) : taken.takeoverAt,
      status: 'active' as const,
      lost_at: null,
      lost_reason: null,
    };
    const existing = await models.CustomerFollow.findOne({ where: { customer_id: customerId, wecom_userid: handover.takeover_userid }, raw: true, transaction: tx });
    if (existing) await models.CustomerFollow.update(fields, { where: { id: existing.id }, transaction: tx });
    else await models.CustomerFollow.create({ customer_id: customerId, wecom_userid: handover.takeover_userid, ...fields }, { transaction: tx });
    await copyTags(models, customerId, handover, f, tx);
    const moves = await reassignCustomerStores(models, { customerIds: [customerId] }, tx);
    const storeId = moves[0]?.toStoreId ?? customer.store_id;
    await timeline.record(
      [
        {
          customerId,
          storeId,
          kind: 'follow.transferred',
          wecomUserid: handover.takeover_userid,
          actorUserId: handover.created_by,
          summary: `${handover.handover_userid} → ${handover.takeover_userid}`,
          payload: { handoverId: Number(handover.id), kind: handover.kind, from: handover.handover_userid, to: handover.takeover_userid },
          occurredAt: taken.takeoverAt,
          dedupeKey: `handover-item:${item.id}:transferred`,
        },
        ...moves.map((move) => ({
          customerId,
          storeId: move.toStoreId,
          kind: 'store.changed' as const,
          payload: { from: move.fromStoreId, to: move.toStoreId, handoverId: Number(handover.id) },
          occurredAt: taken.takeoverAt,
          dedupeKey: `handover-item:${item.id}:store`,
        })),
      ],
      tx,
    );
    return true;
  });
}

/** The takeover employee's relation carries the corp tags WeCom reports for it, else the old relation's. */
async function copyTags(models: Models, customerId: number, handover: HandoverRow, follow: FollowUser | null, tx: Transaction) {
  let tagIds: number[];
  const reported = follow?.tags?.filter((t) => t.type === 1 && t.tag_id).map((t) => t.tag_id as string);
  if (reported) {
    tagIds = reported.length ? (await models.Tag.findAll({ where: { wecom_tag_id: reported }, attributes: ['id'], raw: true, transaction: tx })).map((t) => Number(t.id)) : [];
  } else {
    tagIds = (await models.CustomerTag.findAll({ where: { customer_id: customerId, wecom_userid: handover.handover_userid }, attributes: ['tag_id'], raw: true, transaction: tx })).map((t) => Number(t.tag_id));
  }
  if (!tagIds.length) return;
  const now = new Date();
  await models.CustomerTag.bulkCreate(
    tagIds.map((tagId) => ({ customer_id: customerId, tag_id: tagId, wecom_userid: handover.takeover_userid, created_at: now })),
    { transaction: tx, ignoreDuplicates: true },
  );
}
