import type { CommerceOrder, StoredOrderDelivery } from '@scrm/plugin-sdk';
import { UniqueConstraintError, type Transaction } from 'sequelize';
import type { FieldCipher } from '../../core/crypto/field-cipher';
import type { Database } from '../../core/db/database';
import type { Models } from '../../core/db/models';
import { retryOnConflict } from '../../core/db/retry-on-conflict';
import type { Logger } from '../../core/logger';
import type { OrderIngest } from './order-ingest';
import type { OrderInboxRow } from './order.models';
import { commerceOrder, type CommerceOrderInput } from './order.schemas';

/** Reads a stored delivery into the common order (the connector plugin's `orderIntake.toOrder`); null: nothing to take in. */
export type DeliveryReader = (platform: string, delivery: StoredOrderDelivery) => Promise<CommerceOrder | null>;

/** Deliveries read at once (a read may call the platform for the order's details). */
const READ_CONCURRENCY = 8;

type DeliveryKey = Pick<OrderInboxRow, 'id' | 'platform' | 'platform_order_id' | 'event'>;

interface ReadDelivery {
  id: number;
  key: DeliveryKey;
  order: CommerceOrderInput | null;
}

const failureOf = (row: DeliveryKey, error: unknown) =>
  `delivery ${row.id} (${row.platform} ${row.platform_order_id} ${row.event}): ${error instanceof Error ? error.message : String(error)}`.slice(0, 500);

/**
 * Processes stored order deliveries: each is read into the common order outside any transaction
 * (the plugin may call the platform), then taken in and marked processed in one transaction, so a
 * second run does nothing. A batch commits together; if it fails, each delivery is tried on its
 * own so that one poisonous delivery cannot hold back the others. Failures are thrown (the job
 * retries, then parks them as dead letters) after the rest are done.
 */
export function createInboxProcessor(deps: { db: Database; models: Models; cipher: FieldCipher; log: Logger; intake: Pick<OrderIngest, 'within'>; reader: () => DeliveryReader }) {
  const { db, models, cipher, log, intake } = deps;

  async function read(ids: number[]): Promise<{ ready: ReadDelivery[]; failures: string[] }> {
    const rows = await models.OrderInbox.findAll({ where: { id: ids, processed_at: null }, order: [['id', 'ASC']], raw: true });
    const reader = deps.reader();
    const ready: ReadDelivery[] = [];
    const failures: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < rows.length) {
        const row = rows[next++]!;
        try {
          const delivery: StoredOrderDelivery = { id: Number(row.id), platformOrderId: row.platform_order_id, event: row.event, payload: cipher.decrypt(row.payload_enc), receivedAt: new Date(row.received_at).toISOString(), deliveries: Number(row.deliveries) };
          const order = await reader(row.platform, delivery);
          ready.push({ id: Number(row.id), key: row, order: order === null ? null : commerceOrder.parse(order) });
        } catch (error) {
          failures.push(failureOf(row, error));
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, rows.length) }, worker));
    // Taken in in the order the platform sent them (created before paid before refunded).
    return { ready: ready.sort((a, b) => a.id - b.id), failures };
  }

  async function applyIn(tx: Transaction, items: ReadDelivery[]): Promise<void> {
    const open = await models.OrderInbox.findAll({ where: { id: items.map((i) => i.id), processed_at: null }, attributes: ['id'], raw: true, transaction: tx, lock: tx.LOCK.UPDATE });
    const openIds = new Set(open.map((r) => Number(r.id)));
    const now = new Date();
    for (const item of items.filter((i) => openIds.has(i.id))) {
      const orderId = item.order ? (await intake.within(item.order, tx)).orderId : null;
      await models.OrderInbox.update({ processed_at: now, order_id: orderId }, { where: { id: item.id }, transaction: tx });
    }
  }

  const applyAll = (items: ReadDelivery[]) => retryOnConflict(() => db.transaction((tx) => applyIn(tx, items)));

  async function applyOne(item: ReadDelivery): Promise<void> {
    try {
      await applyAll([item]);
    } catch (error) {
      // Another batch inserted the same new order meanwhile: now it is a repeat or a move on.
      if (error instanceof UniqueConstraintError) await applyAll([item]);
      else throw error;
    }
  }

  return {
    async processBatch(ids: number[]): Promise<void> {
      const { ready, failures } = await read(ids);
      try {
        if (ready.length) await applyAll(ready);
      } catch (batchError) {
        log.warn({ err: batchError, deliveries: ready.length }, 'an order delivery batch failed; processing its deliveries one by one');
        for (const item of ready) {
          try {
            await applyOne(item);
          } catch (error) {
            failures.push(failureOf(item.key, error));
          }
        }
      }
      if (failures.length) throw new Error(`${failures.length} of ${ids.length} order deliveries failed: ${failures.slice(0, 3).join('; ')}`);
    },
  };
}

export type InboxProcessor = ReturnType<typeof createInboxProcessor>;
