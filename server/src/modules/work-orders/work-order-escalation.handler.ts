import { literal, Op, type Transaction } from 'sequelize';
import type { Models } from '../../core/db/models';
import { assertUnreachable } from '../../core/errors';
import type { AuditService } from '../audit/audit.service';
import type { EscalationStep } from '../workflows/flow-definition';
import type { WorkOrderAssignment } from './work-order-assignment';
import type { EscalationPayload } from './work-order-escalation';
import { ESCALATION_TIMER } from './work-order-escalation';
import type { WorkOrderHistory } from './work-order-history';
import type { WorkOrderNotifier } from './work-order-notify';
import type { WorkOrderRuntime } from './work-order-runtime';
import type { WorkOrderEventType, WorkOrderRow } from './work-order.models';
import type { FiredTimer, TimersPort } from './work-order.ports';

const eventOf: Record<EscalationStep['action'], WorkOrderEventType> = {
  remind_assignee: 'reminded',
  notify_store_manager: 'escalated',
  reassign: 'reassigned',
  escalate: 'escalated',
};

/**
 * Performs an escalation step when its timer fires: remind the assignee, tell the store manager,
 * reassign within the store, or escalate to a higher role. Runs in the timer's transaction; the
 * history entry's dedupe key makes a second firing a no-op, and a timer of a node the order has
 * already left does nothing.
 */
export function registerEscalations(deps: {
  models: Models;
  audit: AuditService;
  timers: TimersPort;
  runtime: WorkOrderRuntime;
  assignment: WorkOrderAssignment;
  history: WorkOrderHistory;
  notifier: WorkOrderNotifier;
}) {
  const { models, history, assignment, notifier } = deps;

  /** The holder of `roleCode` with the least open work in the store, else in the store's region. */
  async function takerOf(roleCode: string, order: WorkOrderRow, exclude: number | null, tx: Transaction): Promise<number | null> {
    const inStore = (await assignment.membersOf(roleCode, Number(order.store_id), tx)).filter((id) => id !== exclude);
    if (inStore.length) return (await assignment.assign({ strategy: 'least_open', roleCode }, order, tx)).assigneeUserId ?? inStore[0] ?? null;
    const store = await models.Store.findByPk(order.store_id, { attributes: ['region_id'], raw: true, transaction: tx });
    const role = await models.Role.findOne({ where: { code: roleCode }, attributes: ['id'], raw: true, transaction: tx });
    if (!store || !role) return null;
    const regional = await models.User.findOne({ where: { role_id: role.id, region_id: store.region_id, status: 'active', id: { [Op.ne]: exclude ?? 0 } }, order: [['id', 'ASC']], attributes: ['id'], raw: true, transaction: tx });
    return regional ? Number(regional.id) : null;
  }

  async function handle(timer: FiredTimer, tx: Transaction): Promise<void> {
    const payload = timer.payload as unknown as EscalationPayload | null;
    if (!payload) return;
    const order = await models.WorkOrder.findByPk(payload.orderId, { raw: true, transaction: tx });
    if (!order || order.status === 'done' || order.status === 'cancelled') return;
    if (order.current_node_key !== payload.nodeKey || !order.node_started_at || new Date(order.node_started_at).getTime() !== payload.visit) return;
    const version = await deps.runtime.versionOf(Number(order.flow_version_id));
    const node = version.definition.nodes.find((n) => n.key === payload.nodeKey);
    const step = node?.escalations[payload.step];
    if (!node || !step) return;
    const dedupeKey = `esc:${order.id}:${payload.nodeKey}:${payload.visit}:${payload.step}`;
    const base = { orderId: Number(order.id), nodeKey: node.key, dedupeKey };
    const title = `工单超时提醒：${node.name}`;
    switch (step.action) {
      case 'remind_assignee': {
        const eventId = await history.appendOnce({ ...base, type: eventOf[step.action], payload: { step: payload.step, action: step.action, assigneeUserId: order.assignee_user_id } }, tx);
        if (eventId === null) return;
        const targets = order.assignee_user_id ? [Number(order.assignee_user_id)] : order.pool_role_code ? await assignment.membersOf(order.pool_role_code, Number(order.store_id), tx) : [];
        await notifier.notify({ orderId: Number(order.id), userIds: targets, title, description: '请尽快处理该工单' }, tx);
        break;
      }
      case 'notify_store_manager': {
        const managers = await assignment.membersOf('store_manager', Number(order.store_id), tx);
        const eventId = await history.appendOnce({ ...base, type: eventOf[step.action], payload: { step: payload.step, action: step.action, notified: managers } }, tx);
        if (eventId === null) return;
        await notifier.notify({ orderId: Number(order.id), userIds: managers, title, description: `节点「${node.name}」已超时，请跟进` }, tx);
        break;
      }
      case 'reassign':
      case 'escalate': {
        const roleCode = step.toRoleCode ?? (step.action === 'escalate' ? 'store_manager' : (order.pool_role_code ?? 'store_manager'));
        const taker = await takerOf(roleCode, order, order.assignee_user_id === null ? null : Number(order.assignee_user_id), tx);
        const eventId = await history.appendOnce({ ...base, type: eventOf[step.action], payload: { step: payload.step, action: step.action, from: order.assignee_user_id, to: taker, roleCode } }, tx);
        if (eventId === null) return;
        if (taker !== null) {
          await models.WorkOrder.update({ assignee_user_id: taker, pool_role_code: null, accepted_at: null, lock_version: literal('lock_version + 1') as unknown as number }, { where: { id: order.id }, transaction: tx });
          await notifier.notify({ orderId: Number(order.id), userIds: [taker], title, description: `节点「${node.name}」已超时，已转交给你处理` }, tx);
        }
        break;
      }
      default:
        assertUnreachable(step.action);
    }
    await deps.audit.record(
      { action: `work_order.${eventOf[step.action]}`, targetType: 'work_order', targetId: Number(order.id), storeId: Number(order.store_id), actor: { id: null, name: 'system' }, after: { nodeKey: node.key, step: payload.step, escalation: step.action } },
      tx,
    );
  }

  deps.timers.on(ESCALATION_TIMER, (timer, { tx }) => handle(timer, tx));
}
