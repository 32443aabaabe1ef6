import type { Transaction } from 'sequelize';
import type { PiiField } from '../../core/crypto/pii-field';
import type { Database } from '../../core/db/database';
import type { Models } from '../../core/db/models';
import type { CustomerFollowRow } from '../customers/customer-store.models';
import { timelineRow, type TimelineEntry, type TimelineWriter } from '../customers/customer-timeline';
import { searchTextOf, type ContactEntry } from './contact-entry';
import { applyTagMarks } from './customer-tags-apply';
import { followDiff, isLostFollow, reactivates, type FollowColumns } from './follow-diff';
import type { RemarkMobilesCodec } from './remark-mobiles';
import { insertRows } from '../../core/db/raw-rows';
import { emptyCounts, type SyncCounts } from './sync-report';
import { customerColumns, finishCustomers, type CustomerSlice } from './customer-finish';

export interface ApplyDeps {
  db: Database;
  models: Models;
  timeline: TimelineWriter;
  phone: PiiField;
  mobiles: RemarkMobilesCodec;
}

export interface ApplyResult {
  counts: SyncCounts;
  /** External user ids of customers that something changed for, for report samples. */
  changed: Record<string, string[]>;
  unknownTagIds: string[];
  customerIdOf: Map<string, number>;
}

type FollowSlice = Pick<CustomerFollowRow, 'id' | 'customer_id' | 'wecom_userid' | 'remark' | 'status' | 'added_at' | 'lost_at' | 'remark_mobiles_enc'> & FollowColumns;

const profileOf = (entry: ContactEntry) => ({
  name: (entry.contact.name ?? '').slice(0, 128) || entry.contact.external_userid,
  unionid: entry.contact.unionid || null,
  wecom_type: entry.contact.type ?? null,
  gender: entry.contact.gender ?? null,
  avatar: entry.contact.avatar ? entry.contact.avatar.slice(0, 512) : null,
  corp_name: entry.contact.corp_name ? entry.contact.corp_name.slice(0, 128) : null,
});

/**
 * Applies what WeCom says about some follow relations: customers by external_userid, follows by
 * (customer, employee), their corp tags, search text, phone, status and store, with timeline entries.
 * A batch of writes per page, inside the caller's transaction; applying the same page twice changes
 * nothing the second time.
 */
export function createCustomerApplier(deps: ApplyDeps) {
  const { db, models, timeline, mobiles } = deps;

  return async function apply(entries: ContactEntry[], tx: Transaction): Promise<ApplyResult> {
    const counts = emptyCounts();
    const changed: Record<string, string[]> = {};
    const mark = (kind: string, ext: string) => (changed[kind] ??= []).length < 10 && !changed[kind].includes(ext) && changed[kind].push(ext);
    const byExt = new Map<string, ContactEntry[]>();
    for (const entry of entries) {
      const list = byExt.get(entry.contact.external_userid) ?? [];
      // One relation per employee: a later copy in the same page wins.
      byExt.set(entry.contact.external_userid, [...list.filter((e) => e.follow.userid !== entry.follow.userid), entry]);
    }
    const exts = [...byExt.keys()];
    if (!exts.length) return { counts, changed, unknownTagIds: [], customerIdOf: new Map() };

    const existing = (await models.Customer.findAll({ where: { external_userid: exts }, attributes: [...customerColumns], raw: true, transaction: tx })) as CustomerSlice[];
    const existingByExt = new Map(existing.map((c) => [String(c.external_userid), c]));
    const existingFollows = existing.length
      ? ((await models.CustomerFollow.findAll({ where: { customer_id: existing.map((c) => c.id) }, raw: true, transaction: tx })) as FollowSlice[])
      : [];
    const userids = [...new Set(entries.map((e) => e.follow.userid))];
    const users = new Map(
      (await models.User.findAll({ where: { wecom_userid: userids }, attributes: ['id', 'wecom_userid'], raw: true, transaction: tx })).map((u) => [String(u.wecom_userid), Number(u.id)]),
    );
    const followColumns = (entry: ContactEntry): FollowColumns => ({
      user_id: users.get(entry.follow.userid) ?? null,
      remark: entry.follow.remark.slice(0, 255) || null,
      description: entry.follow.description.slice(0, 512) || null,
      remark_corp_name: entry.follow.remarkCorpName.slice(0, 128) || null,
      add_way: entry.follow.addWay,
      state: entry.follow.state.slice(0, 64) || null,
      oper_userid: entry.follow.operUserid.slice(0, 64) || null,
      added_at: entry.follow.createtime ? new Date(entry.follow.createtime * 1000) : null,
    });

    // New customers: everything about them is in this page.
    const now = new Date();
    const fresh = exts
      .filter((ext) => !existingByExt.has(ext))
      .map((ext) => {
        const list = [...(byExt.get(ext) ?? [])].sort((a, b) => a.follow.createtime - b.follow.createtime);
        const first = list[0] as ContactEntry;
        const phone = list.find((e) => e.follow.remarkMobiles.length)?.follow.remarkMobiles[0];
        const addedAt = first.follow.createtime ? new Date(first.follow.createtime * 1000) : now;
        return {
          external_userid: ext,
          ...profileOf(first),
          status: 'active' as const,
          search_text: searchTextOf(profileOf(first).name, list.map((e) => e.follow.remark)),
          added_at: addedAt,
          store_id: null,
          ...(phone ? deps.phone.seal(phone) : {}),
        };
      });
    await insertRows(models.Customer, fresh.map((f) => ({ ...f, created_at: now, updated_at: now })), tx, { ignoreDuplicates: true });
    const created = fresh.length
      ? ((await models.Customer.findAll({ where: { external_userid: fresh.map((f) => f.external_userid) }, attributes: [...customerColumns], raw: true, transaction: tx })) as CustomerSlice[])
      : [];
    const customerIdOf = new Map<string, number>([...existing, ...created].map((c) => [String(c.external_userid), Number(c.id)]));
    const createdIds = new Set(created.map((c) => Number(c.id)));
    counts.customersCreated += created.length;
    for (const c of created) mark('customersCreated', String(c.external_userid));

    // Follows: insert the new, update what differs.
    const followOf = new Map(existingFollows.map((f) => [`${f.customer_id}:${f.wecom_userid}`, f]));
    const events: TimelineEntry[] = [];
    const newFollows: Array<Record<string, unknown>> = [];
    for (const [ext, list] of byExt) {
      const customerId = customerIdOf.get(ext);
      if (customerId === undefined) continue;
      if (createdIds.has(customerId)) {
        events.push({ customerId, kind: 'customer.added', summary: `添加客户：${profileOf(list[0] as ContactEntry).name}`, occurredAt: new Date(Math.min(...list.map((e) => e.follow.createtime * 1000 || now.getTime()))), dedupeKey: `customer.added:${ext}` });
      }
      for (const entry of list) {
        const columns = followColumns(entry);
        const row = followOf.get(`${customerId}:${entry.follow.userid}`);
        const addedEvent: TimelineEntry = {
          customerId,
          kind: 'follow.added',
          wecomUserid: entry.follow.userid,
          summary: `员工 ${entry.follow.userid} 添加了客户`,
          payload: { addWay: entry.follow.addWay, state: entry.follow.state || undefined },
          occurredAt: columns.added_at ?? now,
          dedupeKey: `follow.added:${ext}:${entry.follow.userid}:${entry.follow.createtime}`,
        };
        if (!row) {
          newFollows.push({ customer_id: customerId, wecom_userid: entry.follow.userid, ...columns, ...mobiles.seal(entry.follow.remarkMobiles), status: 'active' });
          counts.followsCreated += 1;
          mark('followsCreated', ext);
          events.push(addedEvent);
          continue;
        }
        const diff = followDiff(row, columns, mobiles.open(row), entry.follow.remarkMobiles);
        const update: Record<string, unknown> = { ...diff.columns, ...(diff.mobilesChanged ? mobiles.seal(entry.follow.remarkMobiles) : {}) };
        if (isLostFollow(row.status) && reactivates(row, entry.follow.createtime)) {
          Object.assign(update, { status: 'active', lost_at: null, lost_reason: null });
          counts.followsReactivated += 1;
          mark('followsReactivated', ext);
          events.push(addedEvent);
        } else if (Object.keys(update).length) {
          counts.followsUpdated += 1;
          mark('followsUpdated', ext);
          if ('remark' in diff.columns) events.push({ customerId, kind: 'follow.remark_changed', wecomUserid: entry.follow.userid, summary: `备注改为：${columns.remark ?? ''}`, payload: { from: row.remark, to: columns.remark } });
        }
        if (Object.keys(update).length) {
          await models.CustomerFollow.update(update, { where: { id: row.id }, transaction: tx });
          Object.assign(row, update);
        }
      }
    }
    await insertRows(models.CustomerFollow, newFollows.map((f) => ({ ...f, created_at: now, updated_at: now })), tx, { ignoreDuplicates: true });

    const tags = await applyTagMarks(db, models, entries, customerIdOf, createdIds, tx);
    counts.tagsAdded += tags.added;
    counts.tagsRemoved += tags.removed;
    counts.unknownTagIds += tags.unknownTagIds.length;
    events.push(...tags.events);
    for (const ext of tags.changedExts) mark('tagsChanged', ext);

    // Customers: profile, search text, phone, status, store; then the timeline with the final stores.
    const finished = await finishCustomers(
      { models, phone: deps.phone },
      {
        customers: existing,
        createdIds,
        also: {
          storeOf: new Map(created.map((c) => [Number(c.id), null])),
          assign: created.filter((c) => (byExt.get(String(c.external_userid)) ?? []).some((e) => users.has(e.follow.userid))).map((c) => Number(c.id)),
        },
        profiles: new Map([...byExt].map(([ext, list]) => [ext, profileOf(list[0] as ContactEntry)])),
        phones: new Map([...byExt].map(([ext, list]) => [ext, [...list].sort((a, b) => a.follow.createtime - b.follow.createtime).find((e) => e.follow.remarkMobiles.length)?.follow.remarkMobiles[0]])),
      },
      tx,
    );
    counts.customersUpdated += finished.updated.length;
    for (const ext of finished.updated) mark('customersUpdated', ext);
    events.push(...finished.events);
    const withStore = events.map((e) => ({ ...e, storeId: finished.storeOf.get(e.customerId) ?? null }));
    // A new customer's entries are new (their dedupe keys still guard a concurrent writer).
    await insertRows(models.CustomerTimeline, withStore.filter((e) => createdIds.has(e.customerId)).map((e) => timelineRow(e, now)), tx, { ignoreDuplicates: true });
    await timeline.record(withStore.filter((e) => !createdIds.has(e.customerId)), tx);
    return { counts, changed, unknownTagIds: tags.unknownTagIds, customerIdOf };
  };
}

export type CustomerApplier = ReturnType<typeof createCustomerApplier>;
