import { Op, type Transaction } from 'sequelize';
import { conflict } from '../../core/errors';
import type { Actor } from '../access/actor';
import type { CustomerRow } from './customer.model';
import type { CustomerFollowRow } from './customer-store.models';
import type { MergeInput } from './customer-merge.schemas';
import { parseCustomFields, scopedCustomers, toId, type Customer360Deps } from './customer-360.deps';
import { reassignCustomerStores } from './customer-store-assignment';

/** Follow columns the kept relation takes from a merged one where it has none. */
const followGaps = ['user_id', 'remark', 'description', 'remark_corp_name', 'remark_mobiles_enc', 'remark_mobiles_bidx', 'add_way', 'state', 'oper_userid'] as const;
/** Customer columns the kept customer takes from a merged one where it has none. */
const customerGaps = ['phone_enc', 'phone_bidx', 'address_enc', 'address_bidx', 'unionid', 'wecom_type', 'gender', 'avatar', 'corp_name', 'owner_user_id'] as const;

const blank = (value: unknown) => value === null || value === undefined || value === '';

/**
 * Merges duplicate customers into one. Everything that hangs off the merged customers moves to the
 * kept one in a single transaction: follow relations (two relations with one employee become one),
 * tags, notes, timeline entries, group memberships and custom field values (the kept customer's values
 * win; the others fill gaps). The merged customers stay as `status='merged'` rows pointing at the kept
 * one, so links and WeCom ids that name them still lead somewhere.
 */
export function createCustomerMergeService(deps: Customer360Deps) {
  const { db, models, audit, timeline, phone, address } = deps;
  const customers = scopedCustomers(models);

  const auditView = (row: CustomerRow) => {
    const fields = row as unknown as Record<string, unknown>;
    return {
      id: Number(row.id),
      name: row.name,
      storeId: toId(row.store_id),
      stage: row.stage,
      status: row.status,
      externalUserid: row.external_userid,
      unionid: row.unionid,
      phone: phone.present(fields, false),
      address: address.present(fields, false),
      customFields: parseCustomFields(row.custom_fields),
    };
  };

  async function moveFollows(keepId: number, mergeIds: number[], tx: Transaction) {
    const kept = new Map<string, CustomerFollowRow>((await models.CustomerFollow.findAll({ where: { customer_id: keepId }, raw: true, transaction: tx })).map((f) => [f.wecom_userid, f]));
    const incoming = await models.CustomerFollow.findAll({ where: { customer_id: mergeIds }, order: [['added_at', 'ASC'], ['id', 'ASC']], raw: true, transaction: tx });
    let moved = 0;
    let combined = 0;
    for (const follow of incoming) {
      const mine = kept.get(follow.wecom_userid);
      if (!mine) {
        await models.CustomerFollow.update({ customer_id: keepId }, { where: { id: follow.id }, transaction: tx });
        kept.set(follow.wecom_userid, { ...follow, customer_id: keepId });
        moved += 1;
        continue;
      }
      // One employee follows both: one relation stays, holding what either knew.
      const patch: Partial<CustomerFollowRow> = {};
      for (const column of followGaps) if (blank(mine[column]) && !blank(follow[column])) Object.assign(patch, { [column]: follow[column] });
      if (mine.status !== 'active' && follow.status === 'active') Object.assign(patch, { status: 'active', lost_at: null, lost_reason: null });
      if (follow.added_at && (!mine.added_at || new Date(follow.added_at) < new Date(mine.added_at))) patch.added_at = follow.added_at;
      await models.CustomerFollow.destroy({ where: { id: follow.id }, transaction: tx });
      if (Object.keys(patch).length) await models.CustomerFollow.update(patch, { where: { id: mine.id }, transaction: tx });
      kept.set(follow.wecom_userid, { ...mine, ...patch });
      combined += 1;
    }
    return { moved, combined };
  }

  async function moveTags(keepId: number, mergeIds: number[], tx: Transaction) {
    const key = (tagId: number, wecomUserid: string) => `${tagId}:${wecomUserid}`;
    const kept = new Set((await models.CustomerTag.findAll({ where: { customer_id: keepId }, raw: true, transaction: tx })).map((t) => key(Number(t.tag_id), t.wecom_userid)));
    let moved = 0;
    for (const mark of await models.CustomerTag.findAll({ where: { customer_id: mergeIds }, raw: true, transaction: tx })) {
      const k = key(Number(mark.tag_id), mark.wecom_userid);
      if (kept.has(k)) {
        await models.CustomerTag.destroy({ where: { id: mark.id }, transaction: tx });
      } else {
        await models.CustomerTag.update({ customer_id: keepId }, { where: { id: mark.id }, transaction: tx });
        kept.add(k);
        moved += 1;
      }
    }
    return moved;
  }

  async function moveRows(keepId: number, mergeIds: number[], tx: Transaction) {
    const [notes] = await models.CustomerNote.update({ customer_id: keepId }, { where: { customer_id: mergeIds }, transaction: tx });
    const [entries] = await models.CustomerTimeline.update({ customer_id: keepId }, { where: { customer_id: mergeIds }, transaction: tx });
    const [memberships] = await models.GroupChatMember.update({ customer_id: keepId }, { where: { customer_id: mergeIds }, transaction: tx });
    return { notes, timeline: entries, groupMemberships: memberships };
  }

  /** The kept customer's columns after taking what it lacks from the merged ones (oldest first). */
  function combinedColumns(keep: CustomerRow, others: CustomerRow[]) {
    const patch: Record<string, unknown> = {};
    const values = parseCustomFields(keep.custom_fields);
    let fieldsFilled = 0;
    for (const other of others) {
      for (const column of customerGaps) if (blank(keep[column]) && blank(patch[column]) && !blank(other[column])) patch[column] = other[column];
      if (other.added_at && (!keep.added_at || new Date(other.added_at) < new Date(keep.added_at)) && (!patch.added_at || new Date(other.added_at) < new Date(patch.added_at as Date))) patch.added_at = other.added_at;
      for (const [fieldKey, value] of Object.entries(parseCustomFields(other.custom_fields))) {
        if (blank(values[fieldKey]) && !blank(value)) {
          values[fieldKey] = value;
          fieldsFilled += 1;
        }
      }
    }
    if (fieldsFilled) patch.custom_fields = JSON.stringify(values);
    // The kept customer answers to the WeCom contact when it has none of its own.
    const contact = blank(keep.external_userid) ? others.find((o) => !blank(o.external_userid)) : undefined;
    return { patch, fieldsFilled, contact };
  }

  return {
    async merge(actor: Actor, input: MergeInput) {
      const { keepId, mergeIds } = input;
      return db.transaction(async (tx) => {
        // Locked in id order, so two merges over the same customers cannot deadlock.
        const locked = new Map<number, CustomerRow>();
        for (const id of [keepId, ...mergeIds].sort((a, b) => a - b)) locked.set(id, await customers.byId(actor, id, tx));
        const keep = locked.get(keepId) as CustomerRow;
        const others = mergeIds.map((id) => locked.get(id) as CustomerRow);
        for (const row of [keep, ...others]) {
          if (row.status === 'merged') throw conflict(`customer ${row.id} was already merged into customer ${row.merged_into_id}`, [{ path: row.id === keep.id ? 'body.keepId' : 'body.mergeIds', message: 'already merged' }]);
        }
        const before = { keep: auditView(keep), merged: others.map(auditView) };

        const follows = await moveFollows(keepId, mergeIds, tx);
        const tags = await moveTags(keepId, mergeIds, tx);
        const rows = await moveRows(keepId, mergeIds, tx);
        const { patch, fieldsFilled, contact } = combinedColumns(keep, [...others].sort((a, b) => Number(a.id) - Number(b.id)));

        // external_userid is unique: the merged row gives it up before the kept one takes it (the
        // timeline entry below still names it).
        await models.Customer.update({ status: 'merged', merged_into_id: keepId }, { where: { id: mergeIds }, transaction: tx });
        if (contact) {
          await models.Customer.update({ external_userid: null }, { where: { id: contact.id }, transaction: tx });
          patch.external_userid = contact.external_userid;
        }
        if (Object.keys(patch).length) await models.Customer.update(patch as Partial<CustomerRow>, { where: { id: keepId }, transaction: tx });
        // Customers merged earlier into one of these now lead straight to the kept customer.
        await models.Customer.update({ merged_into_id: keepId }, { where: { merged_into_id: { [Op.in]: mergeIds } }, transaction: tx });
        await reassignCustomerStores(models, { customerIds: [keepId] }, tx);

        const after = (await models.Customer.findByPk(keepId, { raw: true, transaction: tx })) as CustomerRow;
        const moved = { follows: follows.moved, followsCombined: follows.combined, tags, notes: rows.notes, timeline: rows.timeline, groupMemberships: rows.groupMemberships, customFields: fieldsFilled };
        await timeline.record(
          {
            customerId: keepId,
            storeId: after.store_id,
            kind: 'customer.merged',
            summary: `合并了客户：${others.map((o) => `${o.name}（#${o.id}）`).join('、')}`,
            payload: { mergedIds: mergeIds, mergedExternalUserids: others.map((o) => o.external_userid).filter(Boolean), moved },
            actorUserId: actor.userId,
          },
          tx,
        );
        await audit.record(
          { action: 'customer.merged', targetType: 'customer', targetId: keepId, storeId: toId(after.store_id), before, after: { keep: auditView(after), mergedIds: mergeIds, moved } },
          tx,
        );
        return { keepId, mergedIds: mergeIds, moved };
      });
    },
  };
}

export type CustomerMergeService = ReturnType<typeof createCustomerMergeService>;
