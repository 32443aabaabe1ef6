import { literal, type Transaction } from 'sequelize';
import type { Database } from '../../core/db/database';
import type { Models } from '../../core/db/models';
import type { JobQueue } from '../../core/jobs/job-queue';
import type { Logger } from '../../core/logger';
import { withTimeout } from '../../core/time/with-timeout';
import type { AuditService } from '../audit/audit.service';
import type { AsyncAutomaticStep } from '../workflows/automatic-steps';
import type { FlowNode } from '../workflows/flow-definition';
import type { WorkOrderAssignment } from './work-order-assignment';
import type { WorkOrderHistory } from './work-order-history';
import type { WorkOrderNotifier } from './work-order-notify';
import { nodeOf, type WorkOrderRuntime } from './work-order-runtime';
import { asyncContextOf, resultOf, STEP_COMPENSATE_JOB, STEP_RUN_JOB, stepBackoffMs, stepJobPayload, type StepRunLauncher } from './work-order-step-runs';
import type { WorkOrderRow, WorkOrderStepRunRow } from './work-order.models';
import type { FlowsPort } from './work-order.ports';

const DEFAULT_TIMEOUT_MS = 30_000;
const SYSTEM = { id: null, name: 'system' };

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 1000);

/**
 * Runs asynchronous automatic steps from the job queue: each attempt outside any transaction (it
 * may call an ERP), then, in one transaction, moves the order on or schedules the next attempt, and
 * after the last one parks the node as failed and tells the store's managers. Also runs
 * compensations. A run is claimed by a guarded status update, so two workers never finish it twice.
 */
export function registerStepWorker(deps: {
  db: Database;
  models: Models;
  audit: AuditService;
  queue: JobQueue;
  flows: FlowsPort;
  runtime: WorkOrderRuntime;
  history: WorkOrderHistory;
  notifier: WorkOrderNotifier;
  assignment: WorkOrderAssignment;
  launcher: StepRunLauncher;
  log: Logger;
}) {
  const { db, models, audit, queue, history, launcher } = deps;

  const asyncStep = (name: string): AsyncAutomaticStep | null => {
    const step = deps.flows.automaticStep(name);
    return step?.mode === 'async' ? step : null;
  };

  async function placeOf(run: WorkOrderStepRunRow, tx?: Transaction): Promise<{ order: WorkOrderRow; node: FlowNode } | null> {
    const order = await models.WorkOrder.findByPk(run.work_order_id, { raw: true, transaction: tx });
    if (!order) return null;
    const version = await deps.runtime.versionOf(Number(order.flow_version_id));
    return { order, node: nodeOf(version.definition, run.node_key) };
  }

  const waitsHere = (order: WorkOrderRow, run: WorkOrderStepRunRow) => order.current_node_key === run.node_key && order.status !== 'done' && order.status !== 'cancelled';

  async function attempt(runId: number): Promise<void> {
    const run = await models.WorkOrderStepRun.findByPk(runId, { raw: true });
    // `running` here means the worker of the previous attempt died: the idempotency key makes a repeat safe.
    if (!run || (run.status !== 'pending' && run.status !== 'running')) return;
    const place = await placeOf(run);
    if (!place || !waitsHere(place.order, run)) {
      await models.WorkOrderStepRun.update({ status: 'cancelled', finished_at: new Date() }, { where: { id: run.id, status: run.status } });
      return;
    }
    const [claimed] = await models.WorkOrderStepRun.update({ status: 'running', attempts: Number(run.attempts) + 1 }, { where: { id: run.id, status: run.status, attempts: run.attempts } });
    if (claimed !== 1) return;
    const running = { ...run, status: 'running' as const, attempts: Number(run.attempts) + 1 };
    const step = asyncStep(run.step);
    const settings = step?.settings.safeParse(place.node.automation?.settings ?? {});
    try {
      if (!step) throw new Error(`automatic step "${run.step}" is not registered on this server`);
      if (!settings?.success) throw new Error(`automatic step "${run.step}": invalid settings`);
      const result = await withTimeout(step.run(asyncContextOf(running, place.order, place.node, settings.data)), step.timeoutMs ?? DEFAULT_TIMEOUT_MS);
      await succeeded(running, step, result ?? null);
    } catch (error) {
      deps.log.warn({ runId: run.id, orderId: Number(run.work_order_id), step: run.step, attempt: running.attempts, error: messageOf(error) }, 'automatic step failed');
      await failed(running, messageOf(error));
    }
  }

  async function succeeded(run: WorkOrderStepRunRow, step: AsyncAutomaticStep, result: Record<string, unknown> | null): Promise<void> {
    await db.transaction(async (tx) => {
      const place = await placeOf(run, tx);
      const [finished] = await models.WorkOrderStepRun.update({ status: 'succeeded', result: result ? JSON.stringify(result) : null, last_error: null, finished_at: new Date() }, { where: { id: run.id, status: 'running' }, transaction: tx });
      // Claims the order's row only if it still waits here (not cancelled meanwhile).
      const [claimed] = finished === 1 && place ? await models.WorkOrder.update({ lock_version: literal('lock_version + 1') as unknown as number }, { where: { id: place.order.id, current_node_key: run.node_key, status: 'open' }, transaction: tx }) : [0];
      if (claimed !== 1 || !place) {
        // Cancelled while the step ran: what it did outside is undone.
        if (step.compensate) await launcher.compensateLater(Number(run.id), finished === 1 ? 'succeeded' : 'cancelled', tx, result);
        return;
      }
      const { order, node } = place;
      const definition = (await deps.runtime.versionOf(Number(order.flow_version_id))).definition;
      const moved = await deps.runtime.continueFrom(order, definition, node, { runId: Number(run.id), attempts: run.attempts, ...(result && { result }) }, tx, null);
      await audit.record({ action: 'work_order.auto_step_succeeded', targetType: 'work_order', targetId: Number(order.id), storeId: Number(order.store_id), actor: SYSTEM, after: { nodeKey: node.key, step: run.step, nextNodeKey: moved.current_node_key ?? null } }, tx);
    });
  }

  async function failed(run: WorkOrderStepRunRow, error: string): Promise<void> {
    await db.transaction(async (tx) => {
      const final = run.attempts >= Number(run.max_attempts);
      const [updated] = await models.WorkOrderStepRun.update({ status: final ? 'failed' : 'pending', last_error: error, ...(final && { finished_at: new Date() }) }, { where: { id: run.id, status: 'running' }, transaction: tx });
      if (updated !== 1) return;
      if (!final) {
        await queue.enqueue(STEP_RUN_JOB, { runId: Number(run.id) }, { transaction: tx, runAt: new Date(Date.now() + stepBackoffMs(run.attempts)) });
        return;
      }
      const place = await placeOf(run, tx);
      if (!place) return;
      const { order, node } = place;
      const managers = await deps.assignment.membersOf('store_manager', Number(order.store_id), tx);
      await history.append([{ orderId: Number(order.id), type: 'auto_failed', nodeKey: node.key, payload: { step: run.step, runId: Number(run.id), attempts: run.attempts, error, notified: managers } }], tx);
      await deps.notifier.notify({ orderId: Number(order.id), userIds: managers, title: `自动处理失败：${node.name}`, description: `已重试 ${run.attempts} 次仍失败，请在工单详情中重试或跳过。${error.slice(0, 120)}` }, tx);
      if (node.automation?.compensatePrevious) {
        const earlier = await models.WorkOrderStepRun.findAll({ where: { work_order_id: order.id, status: 'succeeded' }, attributes: ['id', 'step'], raw: true, transaction: tx });
        for (const done of earlier) if (asyncStep(done.step)?.compensate) await launcher.compensateLater(Number(done.id), 'succeeded', tx);
      }
      await audit.record({ action: 'work_order.auto_step_failed', targetType: 'work_order', targetId: Number(order.id), storeId: Number(order.store_id), actor: SYSTEM, after: { nodeKey: node.key, step: run.step, attempts: run.attempts, error } }, tx);
    });
  }

  /** Undoes a finished run; a throw lets the job queue retry it (and park it as dead at last, visible to admins). */
  async function compensate(runId: number): Promise<void> {
    const run = await models.WorkOrderStepRun.findByPk(runId, { raw: true });
    if (!run || run.status !== 'compensating') return;
    const step = asyncStep(run.step);
    if (!step?.compensate) throw new Error(`automatic step "${run.step}" cannot be undone on this server`);
    const place = await placeOf(run);
    if (!place) return;
    const settings = step.settings.parse(place.node.automation?.settings ?? {});
    await withTimeout(step.compensate({ ...asyncContextOf(run, place.order, place.node, settings), result: resultOf(run) }), step.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    await db.transaction(async (tx) => {
      const [done] = await models.WorkOrderStepRun.update({ status: 'compensated', finished_at: new Date() }, { where: { id: run.id, status: 'compensating' }, transaction: tx });
      if (done !== 1) return;
      await history.append([{ orderId: Number(run.work_order_id), type: 'compensated', nodeKey: run.node_key, payload: { step: run.step, runId: Number(run.id) } }], tx);
      await audit.record({ action: 'work_order.auto_step_compensated', targetType: 'work_order', targetId: Number(run.work_order_id), storeId: Number(place.order.store_id), actor: SYSTEM, after: { nodeKey: run.node_key, step: run.step } }, tx);
    });
  }

  // Step failures are retried by the runs themselves; the job's own attempts cover a database hiccup.
  queue.register({ type: STEP_RUN_JOB, payload: stepJobPayload, maxAttempts: 3, handle: ({ runId }) => attempt(runId) });
  queue.register({ type: STEP_COMPENSATE_JOB, payload: stepJobPayload, maxAttempts: 8, handle: ({ runId }) => compensate(runId) });

  return { canCompensate: (stepName: string) => Boolean(asyncStep(stepName)?.compensate) };
}
