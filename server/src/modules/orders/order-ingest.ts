import type { CommerceOrder } from '@scrm/plugin-sdk';
import { UniqueConstraintError, type Transaction } from 'sequelize';
import type { PiiField } from '../../core/crypto/pii-field';
import type { Database } from '../../core/db/database';
import type { Models } from '../../core/db/models';
import { retryOnConflict } from '../../core/db/retry-on-conflict';
import type { JobQueue } from '../../core/jobs/job-queue';
import type { AuditService } from '../audit/audit.service';
import { timelineRow, type TimelineEntry, type TimelineWriter } from '../customers/customer-timeline';
import type { CustomerMatcher } from './order-customer-match';
import { isPaidAndLive, isUndone, movesForward } from './order-status';
import type { OrderRow, OrderStatus } from './order.models';
import type { OrderEventsPort } from './order.ports';
import { commerceOrder, type CommerceOrderInput } from './order.schemas';

export const ROUTE_JOB = 'orders.route';
export const UNDO_JOB = 'orders.undo';

export interface IngestResult {
  orderId: number;
  created: boolean;
  statusChanged: boolean;
}

const statusTitles: Record<OrderStatus, string> = { created: '下单', paid: '付款', shipped: '发货', completed: '交易完成', refunded: '退款', cancelled: '取消' };
const yuan = (fen: number) => `¥${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
const itemIndexOf = (order: CommerceOrderInput) => [...new Set(order.items.flatMap((i) => [i.category, i.sku]).filter(Boolean))].join(' ').slice(0, 512);

/**
 * Takes in one platform order: idempotent on (platform, platform order id); a repeated delivery or an
 * older status changes nothing; a newer status moves the order on. The buyer is matched to a customer
 * (or created), the customer's timeline gets an entry, `order.*` events go to the outbox, and the
 * work that follows (rules → work orders, refunds → settlement) is queued in the same transaction.
 */
export function createOrderIngest(deps: { db: Database; models: Models; audit: AuditService; queue: JobQueue; phone: PiiField; address: PiiField; timeline: TimelineWriter; customers: CustomerMatcher; events: OrderEventsPort }) {
  const { db, models, audit, queue, phone, address, timeline, customers, events } = deps;

  async function announce(row: OrderRow, order: CommerceOrder, from: OrderStatus | null, tx: Transaction): Promise<void> {
    const orderId = Number(row.id);
    const customerId = row.customer_id === null ? null : Number(row.customer_id);
    // A job or timeline entry of an order inserted in this transaction cannot exist yet: the
    // look-ups that keep repeats out are only needed for an order that moves on.
    const onceFor = (dedupeKey: string) => (from === null ? {} : { dedupeKey });
    if (from === null) await events.emit('order.created', { orderId, order, customerId }, tx);
    if (isPaidAndLive(order.status) && (from === null || !isPaidAndLive(from))) {
      await events.emit('order.paid', { orderId, order, customerId }, tx);
      await queue.enqueue(ROUTE_JOB, { orderId }, { transaction: tx, ...onceFor(`${ROUTE_JOB}:${orderId}`) });
    }
    if (isUndone(order.status)) {
      const workOrderIds = JSON.parse(row.work_order_ids) as number[];
      if (order.status === 'refunded') await events.emit('order.refunded', { orderId, order, customerId, workOrderIds }, tx);
      await queue.enqueue(UNDO_JOB, { orderId }, { transaction: tx, ...onceFor(`${UNDO_JOB}:${orderId}`) });
    }
    if (customerId !== null) {
      const entry: TimelineEntry = {
        customerId,
        storeId: row.store_id === null ? null : Number(row.store_id),
        kind: `order.${order.status}`,
        summary: `${order.platform} 订单 ${order.platformOrderId} ${statusTitles[order.status]} ${yuan(order.paidFen || order.totalFen)}`,
        payload: { orderId, platform: order.platform, platformOrderId: order.platformOrderId, status: order.status, items: order.items.map((i) => i.name) },
        occurredAt: new Date(order.refundedAt ?? order.paidAt ?? order.createdAt),
        dedupeKey: `order:${orderId}:${order.status}`,
      };
      if (from === null) await models.CustomerTimeline.create(timelineRow(entry, new Date()), { transaction: tx });
      else await timeline.record(entry, tx);
    }
  }

  async function takeIn(order: CommerceOrderInput, tx: Transaction): Promise<IngestResult> {
    // Looked up without a lock (a locking read of a missing key takes a gap lock, and concurrent
    // new orders then deadlock on insert); an existing row is locked by id, a new one inserted,
    // and the unique key settles a race between two deliveries of the same new order.
    const found = await models.Order.findOne({ where: { platform: order.platform, platform_order_id: order.platformOrderId }, attributes: ['id'], raw: true, transaction: tx });
    const existing = found ? await models.Order.findByPk(found.id, { raw: true, transaction: tx, lock: tx.LOCK.UPDATE }) : null;
    if (existing) {
      if (!movesForward(existing.status, order.status)) return { orderId: Number(existing.id), created: false, statusChanged: false };
      const changes = { status: order.status, paid_fen: order.paidFen, paid_at: order.paidAt ? new Date(order.paidAt) : existing.paid_at, refunded_at: order.refundedAt ? new Date(order.refundedAt) : order.status === 'refunded' ? new Date() : existing.refunded_at };
      await models.Order.update(changes, { where: { id: existing.id }, transaction: tx });
      const row = { ...existing, ...changes };
      await audit.record({ action: 'order.status_changed', targetType: 'order', targetId: existing.id, storeId: existing.store_id === null ? null : Number(existing.store_id), before: { status: existing.status }, after: { status: order.status }, actor: { id: null, name: `order:${order.platform}` } }, tx);
      await announce(row, order, existing.status, tx);
      return { orderId: Number(existing.id), created: false, statusChanged: true };
    }
    const { customerId } = await customers.match(order, tx);
    const created = (
      await models.Order.create(
        {
          platform: order.platform,
          platform_order_id: order.platformOrderId,
          shop_id: order.shopId,
          status: order.status,
          customer_id: customerId,
          store_id: null,
          buyer_name: order.buyer.name ?? null,
          ...phone.seal(order.buyer.phone ?? null),
          ...address.seal(order.buyer.address ?? null),
          unionid: order.buyer.unionid ?? null,
          lat: order.buyer.lat ?? null,
          lng: order.buyer.lng ?? null,
          items: JSON.stringify(order.items),
          item_index: itemIndexOf(order),
          total_fen: order.totalFen,
          paid_fen: order.paidFen,
          source_channel: order.sourceChannel,
          placed_at: new Date(order.createdAt),
          paid_at: order.paidAt ? new Date(order.paidAt) : null,
          refunded_at: order.refundedAt ? new Date(order.refundedAt) : null,
          work_order_ids: '[]',
        },
        { transaction: tx },
      )
    ).get({ plain: true }) as OrderRow;
    await audit.record({ action: 'order.created', targetType: 'order', targetId: created.id, after: { platform: order.platform, platformOrderId: order.platformOrderId, status: order.status, totalFen: order.totalFen, customerId }, actor: { id: null, name: `order:${order.platform}` } }, tx);
    await announce(created, order, null, tx);
    return { orderId: Number(created.id), created: true, statusChanged: true };
  }

  const ingestOnce = (order: CommerceOrderInput) => db.transaction((tx) => takeIn(order, tx));

  return {
    async ingest(input: CommerceOrder): Promise<IngestResult> {
      const order = commerceOrder.parse(input);
      try {
        return await retryOnConflict(() => ingestOnce(order));
      } catch (error) {
        // Two deliveries of a new order raced: the other one inserted it; this one is now a repeat.
        if (error instanceof UniqueConstraintError) return retryOnConflict(() => ingestOnce(order));
        throw error;
      }
    },
    /** The same intake inside the caller's transaction (the inbox marks the delivery processed in it). */
    within: takeIn,
  };
}

export type OrderIngest = ReturnType<typeof createOrderIngest>;
