import type { Transaction } from 'sequelize';
import type { Models } from '../../core/db/models';
import { AppError } from '../../core/errors';
import type { AutomaticStepContext } from '../workflows/automatic-steps';
import type { FlowNode } from '../workflows/flow-definition';
import type { WorkOrderAssignment } from './work-order-assignment';
import type { WorkOrderNotifier } from './work-order-notify';
import type { WorkOrderRow } from './work-order.models';
import type { FlowsPort } from './work-order.ports';

export interface AutomaticRun {
  /** The order with what the step changed. */
  order: WorkOrderRow;
  /** What the step reported, for the order's history. */
  result: Record<string, unknown> | null;
}

/**
 * Runs the automatic step an `auto` node names, in the transaction that enters the node, with a
 * context that lets it notify people and change the order through this module only.
 */
export function createAutomationRunner(deps: { models: Models; flows: FlowsPort; assignment: WorkOrderAssignment; notifier: WorkOrderNotifier }) {
  const { models, assignment, notifier } = deps;

  return async function runAutomaticStep(node: FlowNode, row: WorkOrderRow, tx: Transaction): Promise<AutomaticRun> {
    if (!node.automation) return { order: row, result: null };
    const step = deps.flows.automaticStep(node.automation.step);
    if (!step) throw new AppError('CONFLICT', `automatic step "${node.automation.step}" of node ${node.key} is not registered on this server`);
    if (step.mode === 'async') throw new AppError('CONFLICT', `automatic step "${step.name}" runs in the background, not while entering node ${node.key}`);
    const settings = step.settings.safeParse(node.automation.settings);
    if (!settings.success) throw new AppError('CONFLICT', `automatic step "${step.name}" of node ${node.key}: ${settings.error.issues[0]?.message ?? 'invalid settings'}`);
    let order = row;
    const context: AutomaticStepContext = {
      order: { id: Number(order.id), orderNo: order.order_no, storeId: Number(order.store_id), customerId: order.customer_id === null ? null : Number(order.customer_id), priority: order.priority, nodeKey: node.key, nodeName: node.name },
      settings: settings.data,
      tx,
      notify: (userIds, title, description) => notifier.notify({ orderId: Number(order.id), userIds, title, description }, tx),
      membersOf: (roleCode) => assignment.membersOf(roleCode, Number(order.store_id), tx),
      async customerOwner() {
        if (order.customer_id === null) return null;
        const customer = await models.Customer.findByPk(order.customer_id, { attributes: ['owner_user_id'], raw: true, transaction: tx });
        if (!customer?.owner_user_id) return null;
        const owner = await models.User.findOne({ where: { id: customer.owner_user_id, status: 'active' }, attributes: ['id'], raw: true, transaction: tx });
        return owner ? Number(owner.id) : null;
      },
      async setPriority(priority) {
        await models.WorkOrder.update({ priority }, { where: { id: order.id }, transaction: tx });
        order = { ...order, priority };
      },
    };
    const result = await step.run(context);
    return { order, result: result ?? null };
  };
}

export type AutomationRunner = ReturnType<typeof createAutomationRunner>;
