import { z } from 'zod';
import type { Transaction } from 'sequelize';
import type { Models } from '../../core/db/models';
import type { JobQueue } from '../../core/jobs/job-queue';
import type { AsyncAutomaticStep, AsyncStepContext } from '../workflows/automatic-steps';
import type { FlowNode } from '../workflows/flow-definition';
import type { WorkOrderHistory } from './work-order-history';
import type { WorkOrderRow, WorkOrderStepRunRow } from './work-order.models';

export const STEP_RUN_JOB = 'work_order.step_run';
export const STEP_COMPENSATE_JOB = 'work_order.step_compensate';
export const stepJobPayload = z.object({ runId: z.number().int().positive() });

export const DEFAULT_MAX_ATTEMPTS = 5;
/** Between attempts of one visit: 5 s, 10 s, 20 s … at most 10 minutes. */
export const stepBackoffMs = (attempt: number) => Math.min(10 * 60_000, 5000 * 2 ** (attempt - 1));

/** What an asynchronous step is told about the order and the visit it runs for. */
export function asyncContextOf(run: WorkOrderStepRunRow, order: WorkOrderRow, node: FlowNode, settings: unknown): AsyncStepContext {
  return {
    order: { id: Number(order.id), orderNo: order.order_no, storeId: Number(order.store_id), customerId: order.customer_id === null ? null : Number(order.customer_id), priority: order.priority, nodeKey: node.key, nodeName: node.name },
    settings: settings as Record<string, unknown>,
    idempotencyKey: `wo-${order.id}-${run.node_key}-${run.visit}`,
    attempt: Number(run.attempts),
  };
}

export const resultOf = (run: Pick<WorkOrderStepRunRow, 'result'>): Record<string, unknown> | null => (run.result ? (JSON.parse(run.result) as Record<string, unknown>) : null);

/**
 * Starts an asynchronous automatic step as its order enters the node: records the visit as a
 * pending run and queues the job that runs it once the transaction commits. The order waits at the
 * node (自动处理中) until the job moves it on.
 */
export function createStepRunLauncher(deps: { models: Models; queue: JobQueue; history: WorkOrderHistory }) {
  const { models, queue, history } = deps;

  return {
    async begin(node: FlowNode, step: AsyncAutomaticStep, order: WorkOrderRow, actorUserId: number | null, tx: Transaction): Promise<number> {
      const visit = (await models.WorkOrderStepRun.count({ where: { work_order_id: order.id, node_key: node.key }, transaction: tx })) + 1;
      const run = await models.WorkOrderStepRun.create(
        { work_order_id: order.id, node_key: node.key, visit, step: step.name, status: 'pending', max_attempts: step.maxAttempts ?? DEFAULT_MAX_ATTEMPTS },
        { transaction: tx },
      );
      const runId = Number(run.get('id'));
      await history.append([{ orderId: Number(order.id), type: 'auto_started', nodeKey: node.key, actorUserId, payload: { step: step.name, runId, visit } }], tx);
      await queue.enqueue(STEP_RUN_JOB, { runId }, { transaction: tx });
      return runId;
    },

    /** The order is cancelled: waiting runs stop, and finished ones that can be undone are compensated. */
    async cancelRuns(orderId: number, canCompensate: (stepName: string) => boolean, tx: Transaction): Promise<void> {
      const runs = await models.WorkOrderStepRun.findAll({ where: { work_order_id: orderId, status: ['pending', 'running', 'failed', 'succeeded'] }, raw: true, transaction: tx });
      for (const run of runs) {
        if (run.status !== 'succeeded') {
          await models.WorkOrderStepRun.update({ status: 'cancelled', finished_at: new Date() }, { where: { id: run.id, status: run.status }, transaction: tx });
        } else if (canCompensate(run.step)) {
          await compensateLater(run.id, 'succeeded', tx);
        }
      }
    },

    compensateLater,
  };

  /** Marks a run for compensation and queues the job that undoes it after commit. */
  async function compensateLater(runId: number, from: WorkOrderStepRunRow['status'], tx: Transaction, result?: Record<string, unknown> | null): Promise<void> {
    const [count] = await models.WorkOrderStepRun.update({ status: 'compensating', ...(result !== undefined && { result: result ? JSON.stringify(result) : null }) }, { where: { id: runId, status: from }, transaction: tx });
    if (count === 1) await queue.enqueue(STEP_COMPENSATE_JOB, { runId }, { transaction: tx });
  }
}

export type StepRunLauncher = ReturnType<typeof createStepRunLauncher>;
