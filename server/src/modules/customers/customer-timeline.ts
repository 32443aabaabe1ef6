import type { Transaction } from 'sequelize';
import type { Models } from '../../core/db/models';

/**
 * Kinds of timeline entries written by the customer store. Later modules (work orders, orders, chat
 * archive) add their own kinds through the same writer.
 */
export type TimelineKind =
  | 'customer.added'
  | 'customer.updated'
  | 'follow.added'
  | 'follow.removed_by_customer'
  | 'follow.removed_by_employee'
  | 'follow.transferred'
  | 'follow.remark_changed'
  | 'tag.added'
  | 'tag.removed'
  | 'note.added'
  | 'stage.changed'
  | 'store.changed'
  | 'group.joined'
  | 'group.left'
  | 'customer.merged'
  | (string & {});

export interface TimelineEntry {
  customerId: number;
  storeId?: number | null;
  kind: TimelineKind;
  /** One short line, shown as is (already in the reader's terms: names, not ids). */
  summary?: string;
  payload?: Record<string, unknown>;
  actorUserId?: number | null;
  wecomUserid?: string | null;
  occurredAt?: Date;
  /**
   * Makes the entry idempotent: an event processed twice (WeCom retries, replays, a reconciliation
   * repeating a callback's effect) writes one entry. Use e.g. `cb:<callbackId>:<kind>:<customer>`.
   */
  dedupeKey?: string;
}

/** The customer_timeline row of an entry (also written raw by the customer sync's page inserts). */
export const timelineRow = (e: TimelineEntry, now: Date) => ({
  customer_id: e.customerId,
  store_id: e.storeId ?? null,
  kind: e.kind,
  summary: e.summary?.slice(0, 512) ?? null,
  payload: e.payload ? JSON.stringify(e.payload) : null,
  actor_user_id: e.actorUserId ?? null,
  wecom_userid: e.wecomUserid ?? null,
  dedupe_key: e.dedupeKey ?? null,
  occurred_at: e.occurredAt ?? now,
  created_at: now,
});

/** Appends entries to customers' timelines, skipping any whose dedupe key is already there. */
export function createTimelineWriter(models: Models) {
  return {
    async record(entries: TimelineEntry | TimelineEntry[], tx?: Transaction): Promise<void> {
      const list = Array.isArray(entries) ? entries : [entries];
      if (!list.length) return;
      const keys = list.map((e) => e.dedupeKey).filter((k): k is string => Boolean(k));
      const seen = keys.length
        ? new Set((await models.CustomerTimeline.findAll({ where: { dedupe_key: keys }, attributes: ['dedupe_key'], raw: true, transaction: tx })).map((r) => r.dedupe_key))
        : new Set<string | null>();
      const now = new Date();
      const rows = list.filter((e) => !e.dedupeKey || !seen.has(e.dedupeKey)).map((e) => timelineRow(e, now));
      // ignoreDuplicates covers a concurrent writer of the same key (INSERT IGNORE / ON CONFLICT DO NOTHING).
      if (rows.length) await models.CustomerTimeline.bulkCreate(rows, { transaction: tx, ignoreDuplicates: true });
    },
  };
}

export type TimelineWriter = ReturnType<typeof createTimelineWriter>;
