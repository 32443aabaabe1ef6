import { UniqueConstraintError, type Transaction } from 'sequelize';
import { insertRows } from '../../core/db/raw-rows';
import type { WorkOrderEventType, WorkOrderModels } from './work-order.models';

export interface HistoryEntry {
  orderId: number;
  type: WorkOrderEventType;
  nodeKey?: string | null;
  actorUserId?: number | null;
  payload?: Record<string, unknown>;
  /** A second entry with the same key is ignored (escalations, migration steps). */
  dedupeKey?: string;
}

/**
 * The append-only history of work orders. Returns the new event's id, or null when an entry with
 * the same dedupe key was written before.
 */
export function createWorkOrderHistory(models: Pick<WorkOrderModels, 'WorkOrderEvent'>) {
  const rowOf = (entry: HistoryEntry, at: Date) => ({
    work_order_id: entry.orderId,
    type: entry.type,
    node_key: entry.nodeKey ?? null,
    actor_user_id: entry.actorUserId ?? null,
    payload: entry.payload ? JSON.stringify(entry.payload) : null,
    dedupe_key: entry.dedupeKey ?? null,
    created_at: at,
  });

  return {
    async append(entries: HistoryEntry[], tx: Transaction): Promise<void> {
      if (!entries.length) return;
      const at = new Date();
      await insertRows(models.WorkOrderEvent, entries.map((entry) => rowOf(entry, at)), tx);
    },

    /** One entry that may already exist: checked first, so the transaction is not poisoned by a duplicate. */
    async appendOnce(entry: HistoryEntry & { dedupeKey: string }, tx: Transaction): Promise<number | null> {
      const existing = await models.WorkOrderEvent.findOne({ where: { dedupe_key: entry.dedupeKey }, attributes: ['id'], transaction: tx, raw: true });
      if (existing) return null;
      try {
        const created = await models.WorkOrderEvent.create(rowOf(entry, new Date()), { transaction: tx });
        return Number(created.get('id'));
      } catch (error) {
        if (error instanceof UniqueConstraintError) return null;
        throw error;
      }
    },
  };
}

export type WorkOrderHistory = ReturnType<typeof createWorkOrderHistory>;
