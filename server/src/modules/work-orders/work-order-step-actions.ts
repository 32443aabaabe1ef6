import type { Transaction } from 'sequelize';
import type { Database } from '../../core/db/database';
import type { Models } from '../../core/db/models';
import type { JobQueue } from '../../core/jobs/job-queue';
import { conflict } from '../../core/errors';
import type { Actor } from '../access/actor';
import type { AuditService } from '../audit/audit.service';
import type { WorkOrderHistory } from './work-order-history';
import { nodeOf, type WorkOrderRuntime } from './work-order-runtime';
import { orderInScope } from './work-order-scope';
import { resultOf, STEP_RUN_JOB } from './work-order-step-runs';
import type { WorkOrderRow, WorkOrderStepRunRow } from './work-order.models';

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export const presentStepRun = (run: WorkOrderStepRunRow) => ({
  id: Number(run.id),
  nodeKey: run.node_key,
  visit: Number(run.visit),
  step: run.step,
  status: run.status,
  attempts: Number(run.attempts),
  maxAttempts: Number(run.max_attempts),
  lastError: run.last_error,
  result: resultOf(run),
  updatedAt: iso(run.updated_at) as string,
});

/**
 * What an admin does to an automatic node whose step failed for good: run it again (a fresh set of
 * attempts), or skip it and move the order on along the node's edges. Both name the lock version
 * they saw.
 */
export function createStepRunActions(deps: { db: Database; models: Models; audit: AuditService; queue: JobQueue; runtime: WorkOrderRuntime; history: WorkOrderHistory }) {
  const { db, models, audit, history } = deps;

  /** The order and its current node's failed run, with its lock version raised. */
  async function failedRun(actor: Actor, id: number, lockVersion: number, tx: Transaction): Promise<{ order: WorkOrderRow; run: WorkOrderStepRunRow }> {
    const order = await orderInScope(models, actor, id, tx);
    if (order.status !== 'open' || !order.current_node_key) throw conflict(`the order is ${order.status}`);
    const run = await models.WorkOrderStepRun.findOne({ where: { work_order_id: id, node_key: order.current_node_key }, order: [['visit', 'DESC']], raw: true, transaction: tx });
    if (!run || run.status !== 'failed') throw conflict('the current node has no failed automatic step', { status: run?.status ?? null });
    const [count] = await models.WorkOrder.update({ lock_version: lockVersion + 1 }, { where: { id, lock_version: lockVersion, current_node_key: order.current_node_key }, transaction: tx });
    if (count !== 1) throw conflict('the order changed since you loaded it; reload and try again', { currentLockVersion: Number(order.lock_version) });
    return { order: { ...order, lock_version: lockVersion + 1 }, run };
  }

  return {
    /** The current node's latest automatic run (null when the order does not wait at an asynchronous step). */
    async current(order: WorkOrderRow) {
      if (!order.current_node_key || order.status === 'done' || order.status === 'cancelled') return null;
      const run = await models.WorkOrderStepRun.findOne({ where: { work_order_id: order.id, node_key: order.current_node_key }, order: [['visit', 'DESC']], raw: true });
      return run ? presentStepRun(run) : null;
    },

    async retry(actor: Actor, id: number, input: { lockVersion: number }) {
      return db.transaction(async (tx) => {
        const { order, run } = await failedRun(actor, id, input.lockVersion, tx);
        await models.WorkOrderStepRun.update({ status: 'pending', attempts: 0, last_error: null, finished_at: null }, { where: { id: run.id, status: 'failed' }, transaction: tx });
        await deps.queue.enqueue(STEP_RUN_JOB, { runId: Number(run.id) }, { transaction: tx });
        await history.append([{ orderId: id, type: 'auto_retried', nodeKey: run.node_key, actorUserId: actor.userId, payload: { step: run.step, runId: Number(run.id), previousError: run.last_error } }], tx);
        await audit.record({ action: 'work_order.auto_step_retried', targetType: 'work_order', targetId: id, storeId: Number(order.store_id), after: { nodeKey: run.node_key, step: run.step } }, tx);
        return { id, nodeKey: run.node_key, status: 'pending' as const, lockVersion: input.lockVersion + 1 };
      });
    },

    async skip(actor: Actor, id: number, input: { lockVersion: number; reason: string }) {
      return db.transaction(async (tx) => {
        const { order, run } = await failedRun(actor, id, input.lockVersion, tx);
        await models.WorkOrderStepRun.update({ status: 'skipped', finished_at: new Date() }, { where: { id: run.id, status: 'failed' }, transaction: tx });
        await history.append([{ orderId: id, type: 'auto_skipped', nodeKey: run.node_key, actorUserId: actor.userId, payload: { step: run.step, runId: Number(run.id), reason: input.reason } }], tx);
        const version = await deps.runtime.versionOf(Number(order.flow_version_id));
        const moved = await deps.runtime.continueFrom(order, version.definition, nodeOf(version.definition, run.node_key), { skipped: true, reason: input.reason }, tx, actor.userId);
        await audit.record({ action: 'work_order.auto_step_skipped', targetType: 'work_order', targetId: id, storeId: Number(order.store_id), after: { nodeKey: run.node_key, step: run.step, reason: input.reason, nextNodeKey: moved.current_node_key ?? null } }, tx);
        return { id, skippedNodeKey: run.node_key, currentNodeKey: moved.current_node_key ?? null, status: moved.status ?? 'open', lockVersion: input.lockVersion + 1 };
      });
    },
  };
}

export type StepRunActions = ReturnType<typeof createStepRunActions>;
