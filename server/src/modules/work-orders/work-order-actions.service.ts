import { rm } from 'node:fs/promises';
import { literal, Op, type Transaction } from 'sequelize';
import type { Database } from '../../core/db/database';
import type { Models } from '../../core/db/models';
import { updateRows, type ColumnValue } from '../../core/db/raw-rows';
import { AppError, conflict } from '../../core/errors';
import type { BlobStorage } from '../../core/storage/blob-storage';
import { can, type Actor } from '../access/actor';
import type { AuditService } from '../audit/audit.service';
import { distanceMeters } from './geo';
import type { Idempotency } from './idempotency';
import type { NodeForm } from '../workflows/flow-definition';
import { evidenceProblems } from './work-order-evidence';
import { dueAfterPause } from './work-order-clock';
import { calendarOfNode, ESCALATION_TIMER, ORDER_SUBJECT } from './work-order-escalation';
import type { WorkOrderHistory } from './work-order-history';
import type { WorkOrderNotifier } from './work-order-notify';
import { nodeOf, type WorkOrderRuntime } from './work-order-runtime';
import { claimableOrder, orderInScope } from './work-order-scope';
import { pausingStatuses, type AttachmentKind, type WorkOrderRow } from './work-order.models';
import type { CalendarsPort, TimersPort } from './work-order.ports';
import type { AttachmentFields, CheckInInput, CompleteInput } from './work-order.schemas';

export interface ReceivedFile {
  path: string;
  originalName: string;
  mimeType: string;
  size: number;
}

const stale = (order: WorkOrderRow) => conflict('the order changed since you loaded it; reload and try again', { currentLockVersion: Number(order.lock_version) });

/**
 * What people do to an order: claim, assign, accept, check in, attach evidence, complete the
 * current node, pause and resume its clock, cancel. Each action names the lock version it saw, and is applied
 * only if the order is still at that version.
 */
export function createWorkOrderActions(deps: {
  db: Database;
  models: Models;
  audit: AuditService;
  runtime: WorkOrderRuntime;
  history: WorkOrderHistory;
  timers: TimersPort;
  calendars: CalendarsPort;
  notifier: WorkOrderNotifier;
  idempotency: Idempotency;
  storage: BlobStorage;
  /** Stops the order's automatic steps and undoes the finished ones (releases reserved parts). */
  cancelStepRuns(orderId: number, tx: Transaction): Promise<void>;
}) {
  const { models, audit, runtime, history, idempotency } = deps;
  const runInTx = <T>(work: (tx: Transaction) => Promise<T>) => deps.db.transaction(work);

  /** Raises the lock version if the order is still at `lockVersion` (and matches `where`); 409 otherwise. */
  async function bump(order: WorkOrderRow, lockVersion: number, changes: Partial<WorkOrderRow>, tx: Transaction, where: Record<string, ColumnValue> = {}): Promise<void> {
    const count = await updateRows(models.WorkOrder, { ...changes, lock_version: lockVersion + 1 }, { id: order.id, lock_version: lockVersion, ...where }, tx);
    if (count !== 1) throw stale(order);
  }

  function assertActive(order: WorkOrderRow, paused = false): void {
    if (order.status === 'done' || order.status === 'cancelled') throw conflict(`the order is ${order.status}`);
    if (!paused && order.status !== 'open') throw conflict(`the order is paused (${order.status}); resume it first`);
    if (!order.current_node_key) throw conflict('the order has no current task');
  }

  function assertHandler(actor: Actor, order: WorkOrderRow): void {
    if (order.assignee_user_id !== null && Number(order.assignee_user_id) === actor.userId) return;
    if (can(actor, 'workorder:assign')) return;
    if (order.assignee_user_id === null) throw conflict('this task waits in a pool: claim it first');
    throw new AppError('FORBIDDEN', 'only the assignee (or someone who may assign work orders) handles this task');
  }

  /** A task assigned to the caller by the system or a dispatcher waits for them to accept it (claiming accepts). */
  function assertAccepted(actor: Actor, order: WorkOrderRow): void {
    if (order.accepted_at === null && order.assignee_user_id !== null && Number(order.assignee_user_id) === actor.userId) {
      throw conflict('accept this task first: it was assigned to you and is not accepted yet', { acceptRequired: true });
    }
  }

  async function evidenceOf(order: WorkOrderRow, form: NodeForm | undefined, input: CompleteInput, tx: Transaction) {
    const since = { [Op.gte]: new Date(order.node_started_at ?? 0) };
    const needsFiles = Boolean(form && (form.minPhotos > 0 || form.signature));
    const counts = !needsFiles ? [] : (await models.WorkOrderAttachment.count({ where: { work_order_id: order.id, node_key: order.current_node_key, created_at: since }, group: ['kind'], transaction: tx })) as unknown as Array<{ kind: AttachmentKind; count: number }>;
    const countOf = (kind: AttachmentKind) => Number(counts.find((c) => c.kind === kind)?.count ?? 0);
    const checkIns = form?.checkInWithinMeters === undefined ? [] : await models.WorkOrderEvent.findAll({ where: { work_order_id: order.id, type: 'checked_in', node_key: order.current_node_key, created_at: since }, attributes: ['payload'], raw: true, transaction: tx });
    const distances = checkIns.map((e) => (JSON.parse(e.payload ?? '{}') as { distanceM?: number | null }).distanceM).filter((d): d is number => typeof d === 'number');
    return {
      form: input.form,
      parts: input.parts,
      photos: countOf('photo'),
      signatures: countOf('signature'),
      checkInDistanceM: distances.length ? Math.min(...distances) : null,
      orderHasPosition: order.lat !== null && order.lng !== null,
    };
  }

  return {
    async claim(actor: Actor, id: number) {
      return runInTx(async (tx) => {
        const order = await claimableOrder(models, actor, id, tx);
        assertActive(order, true);
        if (order.assignee_user_id !== null || order.pool_role_code === null) throw conflict('already taken');
        if (order.pool_role_code !== actor.roleCode && !can(actor, 'workorder:assign')) throw new AppError('FORBIDDEN', `this task is for the ${order.pool_role_code} pool`);
        // Atomic: of many simultaneous claims, exactly one finds the task still unassigned.
        const [count] = await models.WorkOrder.update(
          { assignee_user_id: actor.userId, pool_role_code: null, accepted_at: new Date(), lock_version: literal('lock_version + 1') as unknown as number },
          { where: { id, assignee_user_id: null, current_node_key: order.current_node_key }, transaction: tx },
        );
        if (count !== 1) throw conflict('already taken');
        await history.append([{ orderId: id, type: 'claimed', nodeKey: order.current_node_key, actorUserId: actor.userId, payload: { poolRoleCode: order.pool_role_code } }], tx);
        await audit.record({ action: 'work_order.claimed', targetType: 'work_order', targetId: id, storeId: Number(order.store_id), after: { nodeKey: order.current_node_key, assigneeUserId: actor.userId } }, tx);
        return { id, assigneeUserId: actor.userId, lockVersion: Number(order.lock_version) + 1 };
      });
    },

    async assign(actor: Actor, id: number, input: { userId: number; lockVersion: number }) {
      return runInTx(async (tx) => {
        const order = await orderInScope(models, actor, id, tx);
        assertActive(order, true);
        const user = await models.User.findOne({ where: { id: input.userId, status: 'active' }, attributes: ['id', 'store_id', 'display_name'], raw: true, transaction: tx });
        if (!user || Number(user.store_id) !== Number(order.store_id)) throw new AppError('VALIDATION_FAILED', 'assign to an active user of the order’s store', [{ path: 'body.userId', message: 'not an active user of this store' }]);
        await bump(order, input.lockVersion, { assignee_user_id: input.userId, pool_role_code: null, accepted_at: null }, tx);
        await history.append([{ orderId: id, type: 'reassigned', nodeKey: order.current_node_key, actorUserId: actor.userId, payload: { from: order.assignee_user_id, to: input.userId } }], tx);
        await deps.notifier.notify({ orderId: id, userIds: [input.userId], title: '工单已指派给你', description: `由 ${actor.displayName} 指派` }, tx);
        await audit.record({ action: 'work_order.assigned', targetType: 'work_order', targetId: id, storeId: Number(order.store_id), before: { assigneeUserId: order.assignee_user_id }, after: { assigneeUserId: input.userId } }, tx);
        return { id, assigneeUserId: input.userId, lockVersion: input.lockVersion + 1 };
      });
    },

    /** The assignee takes on a task the system or a dispatcher gave them; check-in and completion wait for it. */
    async accept(actor: Actor, id: number, input: { lockVersion: number }, key?: string) {
      const { result } = await idempotency.run(actor.userId, `work-orders/${id}/accept`, key, async (tx) => {
        const order = await orderInScope(models, actor, id, tx);
        assertActive(order, true);
        if (order.assignee_user_id === null) throw conflict('this task waits in a pool: claim it first');
        if (Number(order.assignee_user_id) !== actor.userId) throw new AppError('FORBIDDEN', 'only the assignee accepts this task');
        if (order.accepted_at !== null) throw conflict('the task is already accepted');
        const acceptedAt = new Date();
        await bump(order, input.lockVersion, { accepted_at: acceptedAt }, tx, { assignee_user_id: actor.userId, accepted_at: null });
        await history.append([{ orderId: id, type: 'accepted', nodeKey: order.current_node_key, actorUserId: actor.userId }], tx);
        await audit.record({ action: 'work_order.accepted', targetType: 'work_order', targetId: id, storeId: Number(order.store_id), after: { nodeKey: order.current_node_key, assigneeUserId: actor.userId } }, tx);
        return { id, nodeKey: order.current_node_key, acceptedAt: acceptedAt.toISOString(), lockVersion: input.lockVersion + 1 };
      });
      return result;
    },

    /** GPS check-in at the current node: its distance from the customer's address is kept for the evidence check. */
    async checkIn(actor: Actor, id: number, input: CheckInInput, key?: string) {
      const { result } = await idempotency.run(actor.userId, `work-orders/${id}/check-in`, key, async (tx) => {
        const order = await orderInScope(models, actor, id, tx);
        assertActive(order);
        assertHandler(actor, order);
        assertAccepted(actor, order);
        const distanceM = order.lat !== null && order.lng !== null ? Math.round(distanceMeters({ lat: Number(order.lat), lng: Number(order.lng) }, input) * 10) / 10 : null;
        await history.append([{ orderId: id, type: 'checked_in', nodeKey: order.current_node_key, actorUserId: actor.userId, payload: { lat: input.lat, lng: input.lng, accuracyM: input.accuracyM ?? null, distanceM } }], tx);
        const [profile] = await models.TechnicianProfile.findOrCreate({ where: { user_id: actor.userId }, defaults: { user_id: actor.userId }, transaction: tx });
        await profile.update({ last_lat: input.lat, last_lng: input.lng, last_located_at: new Date() }, { transaction: tx });
        await audit.record({ action: 'work_order.checked_in', targetType: 'work_order', targetId: id, storeId: Number(order.store_id), after: { nodeKey: order.current_node_key, distanceM } }, tx);
        return { id, nodeKey: order.current_node_key, distanceM };
      });
      return result;
    },

    /** Stores a photo, signature or file for the current node, with its capture time and position. */
    async attach(actor: Actor, id: number, file: ReceivedFile, fields: AttachmentFields, key?: string) {
      let storedKey: string | null = null;
      try {
        const { result, replayed } = await idempotency.run(actor.userId, `work-orders/${id}/attachments`, key, async (tx) => {
          const order = await orderInScope(models, actor, id, tx);
          if (order.status === 'cancelled') throw conflict('the order is cancelled');
          if (fields.kind !== 'file' && !/^image\//.test(file.mimeType)) throw new AppError('VALIDATION_FAILED', `a ${fields.kind} must be an image`, [{ path: 'file', message: 'expected an image' }]);
          storedKey = await deps.storage.putFile(file.path, { folder: String(id), extension: (file.originalName.split('.').pop() ?? '').toLowerCase(), contentType: file.mimeType });
          const row = (
            await models.WorkOrderAttachment.create(
              {
                work_order_id: id,
                node_key: order.current_node_key,
                kind: fields.kind,
                storage_key: storedKey,
                file_name: file.originalName.slice(0, 255),
                content_type: file.mimeType.slice(0, 128),
                size: file.size,
                captured_at: fields.capturedAt ? new Date(fields.capturedAt) : null,
                lat: fields.lat ?? null,
                lng: fields.lng ?? null,
                uploaded_by: actor.userId,
              },
              { transaction: tx },
            )
          ).get({ plain: true });
          await audit.record({ action: 'work_order.attachment_added', targetType: 'work_order', targetId: id, storeId: Number(order.store_id), after: { attachmentId: row.id, kind: fields.kind, nodeKey: order.current_node_key, size: file.size } }, tx);
          return { id: Number(row.id), kind: fields.kind, nodeKey: order.current_node_key, fileName: row.file_name, size: Number(row.size) };
        });
        // A replay stored nothing: drop the received temporary file.
        if (replayed) await rm(file.path, { force: true });
        return result;
      } catch (error) {
        if (storedKey) await deps.storage.remove(storedKey).catch(() => undefined);
        throw error;
      }
    },

    async openAttachment(actor: Actor, id: number, attachmentId: number) {
      await orderInScope(models, actor, id);
      const row = await models.WorkOrderAttachment.findOne({ where: { id: attachmentId, work_order_id: id }, raw: true });
      if (!row) throw new AppError('NOT_FOUND', `attachment ${attachmentId} not found`);
      return { ...(await deps.storage.open(row.storage_key)), contentType: row.content_type, fileName: row.file_name };
    },

    /**
     * Completes the current node: the server checks the node's evidence, then takes the first edge
     * whose condition holds (else the default) and enters the next node; an end node closes the order.
     */
    async complete(actor: Actor, id: number, input: CompleteInput, key?: string) {
      const { result } = await idempotency.run(actor.userId, `work-orders/${id}/complete`, key, async (tx) => {
        // Locked: of two concurrent completions the second waits here, then finds the raised version and gets 409.
        const order = await orderInScope(models, actor, id, tx, { lock: 'update' });
        if (Number(order.lock_version) !== input.lockVersion) throw stale(order);
        assertActive(order);
        assertHandler(actor, order);
        assertAccepted(actor, order);
        const version = await runtime.versionOf(Number(order.flow_version_id));
        const node = nodeOf(version.definition, String(order.current_node_key));
        if (node.type !== 'task' && node.type !== 'approval') throw conflict(`node ${node.key} is not a task`);
        const problems = evidenceProblems(node.form, await evidenceOf(order, node.form, input, tx));
        if (problems.length) throw new AppError('VALIDATION_FAILED', `the step "${node.name}" is not complete: ${problems.map((p) => p.message).join('; ')}`, problems);
        const raised = { lock_version: input.lockVersion + 1 };
        const moved = await runtime.advance({ ...order, ...raised }, version, input.form, tx, actor.userId, { parts: input.parts, note: input.note ?? null }, raised);
        await audit.record({ action: 'work_order.node_completed', targetType: 'work_order', targetId: id, storeId: Number(order.store_id), before: { nodeKey: node.key }, after: { nodeKey: moved.nextNodeKey, status: moved.changes.status ?? 'open' } }, tx);
        return { id, completedNodeKey: node.key, currentNodeKey: moved.changes.current_node_key ?? node.key, status: moved.changes.status ?? 'open', assigneeUserId: moved.changes.assignee_user_id ?? null, lockVersion: input.lockVersion + 1 };
      });
      return result;
    },

    /** Waiting for the customer or for parts stops the node's clock: its timers and due time shift by the pause. */
    async pause(actor: Actor, id: number, input: { lockVersion: number; status: 'waiting_customer' | 'waiting_parts'; reason?: string }) {
      return runInTx(async (tx) => {
        const order = await orderInScope(models, actor, id, tx);
        assertActive(order);
        const version = await runtime.versionOf(Number(order.flow_version_id));
        if (nodeOf(version.definition, String(order.current_node_key)).type === 'auto') throw conflict('the order is being handled automatically at this node; it cannot be paused');
        await bump(order, input.lockVersion, { status: input.status, paused_at: new Date() }, tx, { status: 'open' });
        await deps.timers.pause({ subjectType: ORDER_SUBJECT, subjectId: id }, tx);
        await history.append([{ orderId: id, type: 'paused', nodeKey: order.current_node_key, actorUserId: actor.userId, payload: { status: input.status, reason: input.reason ?? null } }], tx);
        await audit.record({ action: 'work_order.paused', targetType: 'work_order', targetId: id, storeId: Number(order.store_id), after: { status: input.status, reason: input.reason ?? null } }, tx);
        return { id, status: input.status, lockVersion: input.lockVersion + 1 };
      });
    },

    /** The node's due time and timers get back the business time they had left when the order was paused. */
    async resume(actor: Actor, id: number, input: { lockVersion: number }) {
      return runInTx(async (tx) => {
        const order = await orderInScope(models, actor, id, tx);
        if (!pausingStatuses.includes(order.status)) throw conflict('the order is not paused');
        const now = new Date();
        const pausedAt = order.paused_at ? new Date(order.paused_at) : now;
        const pausedMs = now.getTime() - pausedAt.getTime();
        const version = await runtime.versionOf(Number(order.flow_version_id));
        const calendar = calendarOfNode(nodeOf(version.definition, String(order.current_node_key)));
        const shift = (due: Date, since: Date) => dueAfterPause(deps.calendars, calendar, due, since, now);
        const dueAt = order.node_due_at ? await shift(new Date(order.node_due_at), pausedAt) : null;
        await bump(order, input.lockVersion, { status: 'open', paused_at: null, node_due_at: dueAt }, tx);
        await deps.timers.resume({ subjectType: ORDER_SUBJECT, subjectId: id }, tx, (timer) => shift(timer.dueAt, timer.pausedAt));
        await history.append([{ orderId: id, type: 'resumed', nodeKey: order.current_node_key, actorUserId: actor.userId, payload: { pausedMs } }], tx);
        await audit.record({ action: 'work_order.resumed', targetType: 'work_order', targetId: id, storeId: Number(order.store_id), after: { pausedMs } }, tx);
        return { id, status: 'open' as const, nodeDueAt: dueAt?.toISOString() ?? null, lockVersion: input.lockVersion + 1 };
      });
    },

    async cancel(actor: Actor, id: number, input: { lockVersion: number; reason: string }) {
      return runInTx(async (tx) => {
        const order = await orderInScope(models, actor, id, tx);
        assertActive(order, true);
        await bump(order, input.lockVersion, { status: 'cancelled', closed_at: new Date(), paused_at: null }, tx);
        await deps.timers.cancel({ subjectType: ORDER_SUBJECT, subjectId: id, kind: ESCALATION_TIMER }, tx);
        await deps.cancelStepRuns(id, tx);
        await history.append([{ orderId: id, type: 'cancelled', nodeKey: order.current_node_key, actorUserId: actor.userId, payload: { reason: input.reason } }], tx);
        await audit.record({ action: 'work_order.cancelled', targetType: 'work_order', targetId: id, storeId: Number(order.store_id), after: { reason: input.reason } }, tx);
        return { id, status: 'cancelled' as const, lockVersion: input.lockVersion + 1 };
      });
    },
  };
}

export type WorkOrderActions = ReturnType<typeof createWorkOrderActions>;
