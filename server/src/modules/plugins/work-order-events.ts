import type { Transaction } from 'sequelize';
import type { Models } from '../../core/db/models';
import type { HistoryEntry, WorkOrderHistory } from '../work-orders/work-order-history';
import type { DoneListener } from '../work-orders/work-order-runtime';
import type { EventEmitter } from './outbox';

/**
 * Work-order events come from the order's history, which every change writes in its transaction:
 * `created`, `node_entered` and `cancelled` entries become `workOrder.*` events in the outbox.
 */
export function withWorkOrderEvents(history: WorkOrderHistory, models: Models, events?: EventEmitter): WorkOrderHistory {
  if (!events) return history;

  async function emitFor(entry: HistoryEntry, tx: Transaction): Promise<void> {
    if (entry.type === 'node_entered' && entry.nodeKey) {
      await events!.emit('workOrder.nodeEntered', { workOrderId: entry.orderId, nodeKey: entry.nodeKey, nodeName: String(entry.payload?.name ?? entry.nodeKey) }, tx);
      return;
    }
    if (entry.type !== 'created' && entry.type !== 'cancelled') return;
    const order = await models.WorkOrder.findByPk(entry.orderId, { raw: true, transaction: tx });
    if (!order) return;
    if (entry.type === 'cancelled') {
      await events!.emit('workOrder.cancelled', { workOrderId: Number(order.id), orderNo: order.order_no, reason: String(entry.payload?.reason ?? '') }, tx);
      return;
    }
    const flow = await models.Flow.findByPk(order.flow_id, { attributes: ['code'], raw: true, transaction: tx });
    await events!.emit(
      'workOrder.created',
      { workOrderId: Number(order.id), orderNo: order.order_no, flowCode: flow?.code ?? '', storeId: Number(order.store_id), customerId: order.customer_id === null ? null : Number(order.customer_id), sourceChannel: order.source_channel },
      tx,
    );
  }

  return {
    ...history,
    async append(entries, tx) {
      await history.append(entries, tx);
      for (const entry of entries) await emitFor(entry, tx);
    },
  };
}

/** `workOrder.completed`, in the transaction that finishes the order. */
export const completedEvent =
  (events: EventEmitter): DoneListener =>
  async (order, tx) => {
    await events.emit('workOrder.completed', { workOrderId: Number(order.id), orderNo: order.order_no, storeId: Number(order.store_id) }, tx);
  };
