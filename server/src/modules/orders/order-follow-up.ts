import { z } from 'zod';
import type { PiiField } from '../../core/crypto/pii-field';
import type { Database } from '../../core/db/database';
import type { Models } from '../../core/db/models';
import { AppError } from '../../core/errors';
import type { JobQueue } from '../../core/jobs/job-queue';
import type { Logger } from '../../core/logger';
import type { Actor } from '../access/actor';
import type { AuditService } from '../audit/audit.service';
import type { TimelineWriter } from '../customers/customer-timeline';
import type { CreateWorkOrderInput } from '../work-orders/work-order.schemas';
import { ROUTE_JOB, UNDO_JOB } from './order-ingest';
import type { OrderItemLine } from './order-present';
import { firstMatchingRule, orderFacts, serviceItemsFor } from './order-rule-match';
import { isPaidAndLive, isUndone } from './order-status';
import type { createStoreChoice } from './order-store-choice';
import type { OrderRow } from './order.models';
import type { ServiceItemMapping } from './order.schemas';

/** What the follow-up needs of work orders and settlement (narrow, so tests and wiring stay simple). */
export interface FollowUpPorts {
  createWorkOrder(actor: Actor, input: CreateWorkOrderInput): Promise<{ id: number; orderNo: string }>;
  workOrderState(id: number): Promise<{ status: string; lockVersion: number } | null>;
  cancelWorkOrder(actor: Actor, id: number, input: { lockVersion: number; reason: string }): Promise<unknown>;
  refundSettlement(actor: Actor, workOrderId: number, reason: string): Promise<unknown>;
}

const orderPayload = z.object({ orderId: z.number().int().positive() });
const platformNames: Record<string, string> = { douyin: '抖音', taobao: '淘宝', jd: '京东', pinduoduo: '拼多多' };

/**
 * After intake: a paid order goes through the order rules (the first match names the flow, the store
 * and the service items) and becomes a work order; a refunded or cancelled order cancels its open
 * work orders and reverses the settlement of finished ones. Both run as jobs, after commit.
 */
export function registerOrderFollowUp(deps: {
  db: Database;
  models: Models;
  audit: AuditService;
  queue: JobQueue;
  address: PiiField;
  timeline: TimelineWriter;
  chooseStore: ReturnType<typeof createStoreChoice>;
  systemActor: () => Promise<Actor>;
  ports: FollowUpPorts;
  log: Logger;
}) {
  const { db, models, audit, queue, ports, log } = deps;

  async function note(order: OrderRow, routingNote: string) {
    await db.transaction(async (tx) => {
      await models.Order.update({ routing_note: routingNote.slice(0, 255) }, { where: { id: order.id }, transaction: tx });
      await audit.record({ action: 'order.not_routed', targetType: 'order', targetId: order.id, after: { reason: routingNote }, actor: { id: null, name: 'orders' } }, tx);
    });
  }

  async function route(orderId: number): Promise<void> {
    const order = await models.Order.findByPk(orderId, { raw: true });
    if (!order || !isPaidAndLive(order.status) || (JSON.parse(order.work_order_ids) as number[]).length > 0) return;
    const items = JSON.parse(order.items) as OrderItemLine[];
    const facts = orderFacts({ platform: order.platform, shopId: order.shop_id, sourceChannel: order.source_channel, totalFen: Number(order.total_fen), paidFen: Number(order.paid_fen), items });
    const rule = await firstMatchingRule(await models.OrderRule.findAll({ where: { enabled: true }, raw: true }), facts);
    if (!rule) return note(order, 'no order rule matched');
    const store = await deps.chooseStore(order, rule);
    if (store.storeId === null) return note(order, store.why);
    const actor = await deps.systemActor();
    const address = deps.address.open(order as unknown as Record<string, unknown>);
    // The work order is made in its own transaction; the job is idempotent on the order's link, and
    // a crash between the two would only repeat this step (its dedupe key keeps it to one job).
    const workOrder = await ports.createWorkOrder(actor, {
      flowCode: rule.flow_code,
      storeId: store.storeId,
      ...(order.customer_id !== null ? { customerId: Number(order.customer_id) } : {}),
      title: `${platformNames[order.platform] ?? order.platform}订单 ${order.platform_order_id}`.slice(0, 128),
      ...(address ? { address: address.slice(0, 255) } : {}),
      ...(order.lat !== null && order.lng !== null ? { lat: Number(order.lat), lng: Number(order.lng) } : {}),
      products: items.map((i) => ({ sku: i.sku, name: i.name, ...(i.category ? { category: i.category } : {}), quantity: i.quantity })),
      serviceItems: serviceItemsFor(JSON.parse(rule.service_items) as ServiceItemMapping[], items),
      // Settlement splits by platform (douyin, taobao …); the finer channel stays on the order.
      sourceChannel: order.platform,
      priority: 'normal',
      amountFen: Number(order.paid_fen || order.total_fen),
    });
    const undone = await db.transaction(async (tx) => {
      const current = (await models.Order.findByPk(orderId, { raw: true, transaction: tx, lock: tx.LOCK.UPDATE }))!;
      await models.Order.update({ store_id: store.storeId, rule_id: rule.id, work_order_ids: JSON.stringify([workOrder.id]), routing_note: store.how }, { where: { id: orderId }, transaction: tx });
      if (current.customer_id !== null) {
        await models.Customer.update({ store_id: store.storeId }, { where: { id: current.customer_id, store_id: null }, transaction: tx });
        await deps.timeline.record({ customerId: Number(current.customer_id), storeId: store.storeId, kind: 'order.work_order_created', summary: `订单 ${order.platform_order_id} 生成工单 ${workOrder.orderNo}`, payload: { orderId, workOrderId: workOrder.id }, dedupeKey: `order:${orderId}:work_order` }, tx);
      }
      await audit.record({ action: 'order.routed', targetType: 'order', targetId: orderId, storeId: store.storeId, after: { ruleId: Number(rule.id), workOrderId: workOrder.id, store: store.how }, actor: { id: null, name: 'orders' } }, tx);
      return isUndone(current.status);
    });
    // Refunded while the work order was being made: undo it now.
    if (undone) await undo(orderId);
  }

  async function undoWorkOrder(actor: Actor, workOrderId: number, reason: string): Promise<void> {
    const state = await ports.workOrderState(workOrderId);
    if (!state || state.status === 'cancelled') return;
    if (state.status !== 'done') {
      await ports.cancelWorkOrder(actor, workOrderId, { lockVersion: state.lockVersion, reason });
      return;
    }
    try {
      await ports.refundSettlement(actor, workOrderId, reason);
    } catch (error) {
      // Already refunded (a repeated job): done. Not yet priced: thrown, so the job retries later.
      if (error instanceof AppError && error.code === 'CONFLICT' && /already refunded/.test(error.message)) return;
      throw error;
    }
  }

  async function undo(orderId: number): Promise<void> {
    const order = await models.Order.findByPk(orderId, { raw: true });
    if (!order || !isUndone(order.status)) return;
    const actor = await deps.systemActor();
    const reason = `${platformNames[order.platform] ?? order.platform}订单 ${order.platform_order_id} ${order.status === 'refunded' ? '已退款' : '已取消'}`;
    for (const workOrderId of JSON.parse(order.work_order_ids) as number[]) await undoWorkOrder(actor, workOrderId, reason);
    log.info({ orderId, status: order.status }, 'order undone');
  }

  queue.register({ type: ROUTE_JOB, payload: orderPayload, handle: ({ orderId }) => route(orderId) });
  queue.register({ type: UNDO_JOB, payload: orderPayload, handle: ({ orderId }) => undo(orderId) });
}
