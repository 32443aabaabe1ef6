import type { Transaction } from 'sequelize';
import type { Models } from '../../core/db/models';
import { updateRows } from '../../core/db/raw-rows';
import { AppError } from '../../core/errors';
import type { FlowDefinition, FlowNode } from '../workflows/flow-definition';
import { chooseNextNode } from '../workflows/flow-runtime';
import type { WorkOrderAssignment } from './work-order-assignment';
import type { AutomationRunner } from './work-order-automation';
import { ESCALATION_TIMER, ORDER_SUBJECT, scheduleNodeTimers } from './work-order-escalation';
import { orderFactsOf } from './work-order-facts';
import type { HistoryEntry, WorkOrderHistory } from './work-order-history';
import type { WorkOrderRow } from './work-order.models';
import type { WorkOrderNotifier } from './work-order-notify';
import type { StepRunLauncher } from './work-order-step-runs';
import type { CalendarsPort, FlowsPort, TimersPort } from './work-order.ports';

/** A chain that passes this many automatic nodes in one go is looping. */
const MAX_HOPS = 50;

export interface PinnedVersion {
  id: number;
  flowId: number;
  version: number;
  definition: FlowDefinition;
}

/** Column values a caller has the step write along with it: the raised lock version of a row it locked. */
export type AlsoWrite = Pick<Partial<WorkOrderRow>, 'lock_version'>;

/** Called in the transaction that moves an order to `done`; a throw rolls the step back. */
export type DoneListener = (order: WorkOrderRow, tx: Transaction) => Promise<void>;

/** Only edges with conditions read the order's facts (store, region, customer): skip the reads otherwise. */
const needsFacts = (node: FlowNode) => node.edges.some((edge) => !edge.isDefault && edge.condition);

export const nodeOf = (definition: FlowDefinition, key: string): FlowNode => {
  const node = definition.nodes.find((n) => n.key === key);
  if (!node) throw new AppError('CONFLICT', `node ${key} is not part of this flow version`);
  return node;
};

/**
 * Moves orders along their pinned flow version: entering a node assigns its task, computes its due
 * time and schedules its escalation timers; automatic nodes pass straight on; an end node closes the
 * order. Every step is written to the order's history in the caller's transaction.
 */
export function createWorkOrderRuntime(deps: {
  models: Models;
  flows: FlowsPort;
  calendars: CalendarsPort;
  timers: TimersPort;
  assignment: WorkOrderAssignment;
  automation: AutomationRunner;
  history: WorkOrderHistory;
  notifier: WorkOrderNotifier;
  stepRuns: Pick<StepRunLauncher, 'begin'>;
}) {
  const { models, history, assignment } = deps;
  const doneListeners: DoneListener[] = [];
  // Published versions never change, so their documents are kept once read.
  const versions = new Map<number, Promise<PinnedVersion>>();

  function versionOf(versionId: number): Promise<PinnedVersion> {
    let found = versions.get(versionId);
    if (!found) {
      found = deps.flows.version(versionId);
      versions.set(versionId, found);
      found.catch(() => versions.delete(versionId));
    }
    return found;
  }

  const factsOf = async (node: FlowNode, order: WorkOrderRow, tx: Transaction) => (needsFacts(node) ? orderFactsOf(models, order, tx) : {});

  /** Writes a step's history, then its changes to the order's row (which the caller has claimed). */
  async function commit(order: WorkOrderRow, entries: HistoryEntry[], changes: Partial<WorkOrderRow>, tx: Transaction, alsoWrite: AlsoWrite): Promise<Partial<WorkOrderRow>> {
    await history.append(entries, tx);
    await updateRows(models.WorkOrder, { ...changes, ...alsoWrite }, { id: order.id }, tx);
    if (changes.status === 'done') {
      for (const listener of doneListeners) await listener({ ...order, ...changes } as WorkOrderRow, tx);
    }
    return changes;
  }

  /**
   * Enters `nodeKey` (and any automatic nodes after it), after the `leading` history entries of the
   * same step. The caller has already claimed the order's row. Returns the order's new column values.
   */
  async function enterNode(entered: WorkOrderRow, definition: FlowDefinition, nodeKey: string, tx: Transaction, actorUserId: number | null, leading: HistoryEntry[] = [], alsoWrite: AlsoWrite = {}): Promise<Partial<WorkOrderRow>> {
    // Automatic steps may change the order (its priority) on the way.
    let order = entered;
    let key = nodeKey;
    const entries: HistoryEntry[] = [...leading];
    for (let hop = 0; hop < MAX_HOPS; hop += 1) {
      const node = nodeOf(definition, key);
      const now = new Date();
      entries.push({ orderId: order.id, type: 'node_entered', nodeKey: node.key, actorUserId, payload: { name: node.name, type: node.type } });
      if (node.type === 'end') {
        return commit(order, entries, { current_node_key: node.key, status: 'done', pool_role_code: null, node_started_at: now, node_due_at: null, paused_at: null, closed_at: now }, tx, alsoWrite);
      }
      if (node.type === 'auto') {
        const step = node.automation ? deps.flows.automaticStep(node.automation.step) : undefined;
        if (step?.mode === 'async') {
          // The order waits here while a job runs the step; the job moves it on (continueFrom).
          const waiting: Partial<WorkOrderRow> = { current_node_key: node.key, status: 'open', assignee_user_id: null, accepted_at: null, pool_role_code: null, node_started_at: now, node_due_at: null, paused_at: null };
          await commit(order, entries, waiting, tx, alsoWrite);
          await deps.stepRuns.begin(node, step, order, actorUserId, tx);
          return waiting;
        }
        const ran = await deps.automation(node, order, tx);
        order = ran.order;
        const next = await chooseNextNode(node, { order: await factsOf(node, order, tx), form: {} });
        entries.push({ orderId: order.id, type: 'completed', nodeKey: node.key, payload: { automatic: node.automation?.step ?? null, ...(ran.result && { result: ran.result }) } });
        if (next === null) throw new AppError('CONFLICT', `automatic node ${node.key} has nowhere to go`);
        entries.push({ orderId: order.id, type: 'transitioned', nodeKey: next, payload: { from: node.key, to: next } });
        key = next;
        continue;
      }
      const assigned = await assignment.assign(node.assignee, order, tx);
      const dueAt = await scheduleNodeTimers(deps, order.id, node, now, tx);
      const changes: Partial<WorkOrderRow> = {
        current_node_key: node.key,
        status: 'open',
        assignee_user_id: assigned.assigneeUserId,
        // An assigned task waits for its assignee to accept it.
        accepted_at: null,
        pool_role_code: assigned.poolRoleCode,
        node_started_at: now,
        node_due_at: dueAt,
        paused_at: null,
      };
      if (assigned.assigneeUserId !== null || assigned.poolRoleCode !== null) {
        entries.push({ orderId: order.id, type: 'assigned', nodeKey: node.key, actorUserId, payload: { ...assigned } });
      }
      await commit(order, entries, changes, tx, alsoWrite);
      if (assigned.assigneeUserId !== null) {
        await deps.notifier.notify({ orderId: order.id, userIds: [assigned.assigneeUserId], title: `新工单任务：${node.name}`, description: dueAt ? `请在 ${dueAt.toISOString()} 前处理` : '请及时处理' }, tx);
      }
      return changes;
    }
    throw new AppError('CONFLICT', `the flow passed ${MAX_HOPS} automatic nodes without reaching a task; it is looping`);
  }

  return {
    versionOf,
    enterNode,

    /** Runs `listener` in the transaction that finishes an order (e.g. settlement prices the job). */
    onDone(listener: DoneListener): void {
      doneListeners.push(listener);
    },

    /**
     * Leaves an automatic node the order waited at (its step finished or was skipped): takes the
     * node's edges and enters the next node. The caller has claimed the order's row.
     */
    async continueFrom(order: WorkOrderRow, definition: FlowDefinition, node: FlowNode, payload: Record<string, unknown>, tx: Transaction, actorUserId: number | null) {
      const next = await chooseNextNode(node, { order: await factsOf(node, order, tx), form: {} });
      if (next === null) throw new AppError('CONFLICT', `automatic node ${node.key} has nowhere to go`);
      const leading: HistoryEntry[] = [
        { orderId: order.id, type: 'completed', nodeKey: node.key, actorUserId, payload: { automatic: node.automation?.step ?? null, ...payload } },
        { orderId: order.id, type: 'transitioned', nodeKey: next, actorUserId, payload: { from: node.key, to: next } },
      ];
      return enterNode(order, definition, next, tx, actorUserId, leading);
    },

    /**
     * Completes the current node of an order: chooses the next node by the node's edges and enters
     * it. The caller has claimed the order's row.
     */
    async advance(order: WorkOrderRow, version: PinnedVersion, form: Record<string, unknown>, tx: Transaction, actorUserId: number, extra: Record<string, unknown> = {}, alsoWrite: AlsoWrite = {}) {
      const node = nodeOf(version.definition, String(order.current_node_key));
      // Escalation timers exist only for nodes with escalation steps (see scheduleNodeTimers).
      if (node.escalations.length) await deps.timers.cancel({ subjectType: ORDER_SUBJECT, subjectId: order.id, kind: ESCALATION_TIMER }, tx);
      const next = await chooseNextNode(node, { order: await factsOf(node, order, tx), form });
      const leading: HistoryEntry[] = [
        { orderId: order.id, type: 'completed', nodeKey: node.key, actorUserId, payload: { form, ...extra, dueAt: order.node_due_at ? new Date(order.node_due_at).toISOString() : null } },
        ...(next ? [{ orderId: order.id, type: 'transitioned' as const, nodeKey: next, actorUserId, payload: { from: node.key, to: next } }] : []),
      ];
      if (next === null) {
        return { nextNodeKey: null, changes: await commit(order, leading, { status: 'done', pool_role_code: null, node_due_at: null, paused_at: null, closed_at: new Date() }, tx, alsoWrite) };
      }
      return { nextNodeKey: next, changes: await enterNode(order, version.definition, next, tx, actorUserId, leading, alsoWrite) };
    },
  };
}

export type WorkOrderRuntime = ReturnType<typeof createWorkOrderRuntime>;
