import { literal, Op, type WhereOptions } from 'sequelize';
import { z } from 'zod';
import type { Database } from '../../core/db/database';
import type { Models } from '../../core/db/models';
import { AppError, notFound, type FieldProblem } from '../../core/errors';
import type { JobQueue } from '../../core/jobs/job-queue';
import type { Actor } from '../access/actor';
import type { AuditService } from '../audit/audit.service';
import { ESCALATION_TIMER, ORDER_SUBJECT } from './work-order-escalation';
import type { WorkOrderHistory } from './work-order-history';
import type { WorkOrderRuntime } from './work-order-runtime';
import type { WorkOrderMigrationRow } from './work-order.models';
import type { TimersPort } from './work-order.ports';
import type { MigrationInput } from './work-order.schemas';

export const MIGRATE_JOB = 'work_order.migrate';
const BATCH = 100;
const running = ['open', 'waiting_customer', 'waiting_parts'];

interface MigrationFilter {
  nodeKeys?: string[];
  storeIds?: number[];
  orderIds?: number[];
}

const present = (row: WorkOrderMigrationRow) => ({
  id: Number(row.id),
  fromVersionId: Number(row.from_version_id),
  toVersionId: Number(row.to_version_id),
  filter: JSON.parse(row.filter) as MigrationFilter,
  nodeMapping: JSON.parse(row.node_mapping) as Record<string, string>,
  status: row.status,
  total: Number(row.total),
  migrated: Number(row.migrated),
  skipped: Number(row.skipped),
  error: row.error,
  createdAt: new Date(row.created_at).toISOString(),
  finishedAt: row.finished_at ? new Date(row.finished_at).toISOString() : null,
});

/**
 * Moves chosen running orders from one version of a flow to another, in the background. Each order
 * moves in its own transaction together with its `migrated` history entry (keyed by migration and
 * order) and the run's cursor, so a run interrupted at any point resumes where it stopped and never
 * moves an order twice. Orders not chosen stay on their version.
 */
export function createWorkOrderMigrations(deps: { db: Database; models: Models; audit: AuditService; queue: JobQueue; runtime: WorkOrderRuntime; history: WorkOrderHistory; timers: TimersPort }) {
  const { db, models, runtime, history } = deps;

  const whereOf = (row: WorkOrderMigrationRow): WhereOptions => {
    const filter = JSON.parse(row.filter) as MigrationFilter;
    return {
      flow_version_id: row.from_version_id,
      status: running,
      ...(filter.nodeKeys && { current_node_key: filter.nodeKeys }),
      ...(filter.storeIds && { store_id: filter.storeIds }),
      ...(filter.orderIds && { id: filter.orderIds }),
    };
  };

  /** Moves up to `limit` more orders; true once the run is finished. */
  async function step(migrationId: number, limit = BATCH): Promise<boolean> {
    const row = await models.WorkOrderMigration.findByPk(migrationId, { raw: true });
    if (!row || row.status !== 'running') return true;
    const to = await runtime.versionOf(Number(row.to_version_id));
    const mapping = JSON.parse(row.node_mapping) as Record<string, string>;
    const orders = await models.WorkOrder.findAll({ where: { ...whereOf(row), id: { [Op.gt]: row.cursor_id } }, order: [['id', 'ASC']], limit, raw: true });
    for (const order of orders) {
      await db.transaction(async (tx) => {
        const marker = `migration:${migrationId}:${order.id}`;
        const from = String(order.current_node_key);
        const target = mapping[from] ?? from;
        const [moved] = await models.WorkOrder.update(
          { flow_id: to.flowId, flow_version_id: to.id, lock_version: literal('lock_version + 1') as unknown as number },
          { where: { id: order.id, flow_version_id: row.from_version_id }, transaction: tx },
        );
        const recorded = moved === 1 ? await history.appendOnce({ orderId: Number(order.id), type: 'migrated', nodeKey: target, dedupeKey: marker, payload: { migrationId, fromVersionId: Number(row.from_version_id), toVersionId: to.id, fromNode: from, toNode: target } }, tx) : null;
        if (recorded !== null && target !== from) {
          // A different node: its task, due time and timers start afresh.
          await deps.timers.cancel({ subjectType: ORDER_SUBJECT, subjectId: Number(order.id), kind: ESCALATION_TIMER }, tx);
          await runtime.enterNode({ ...order, flow_version_id: to.id }, to.definition, target, tx, null);
        }
        await models.WorkOrderMigration.update(
          { cursor_id: order.id, ...(recorded !== null ? { migrated: literal('migrated + 1') } : { skipped: literal('skipped + 1') }) } as never,
          { where: { id: migrationId }, transaction: tx },
        );
      });
    }
    if (orders.length < limit) {
      await db.transaction(async (tx) => {
        await models.WorkOrderMigration.update({ status: 'done', finished_at: new Date() }, { where: { id: migrationId, status: 'running' }, transaction: tx });
        await deps.audit.record({ action: 'work_order.migration_finished', targetType: 'work_order_migration', targetId: migrationId, actor: { id: null, name: 'system' }, after: { migrationId } }, tx);
      });
      return true;
    }
    return false;
  }

  deps.queue.register({
    type: MIGRATE_JOB,
    payload: z.object({ migrationId: z.number().int().positive() }),
    maxAttempts: 20,
    handle: async ({ migrationId }, job) => {
      while (!(await step(migrationId))) await job.renewLease();
    },
  });

  async function checked(input: MigrationInput) {
    const [from, to] = await Promise.all([runtime.versionOf(input.fromVersionId), runtime.versionOf(input.toVersionId)]);
    const problems: FieldProblem[] = [];
    if (from.flowId !== to.flowId) problems.push({ path: 'body.toVersionId', message: 'must be a version of the same flow' });
    if (from.id === to.id) problems.push({ path: 'body.toVersionId', message: 'must differ from fromVersionId' });
    const fromKeys = new Set(from.definition.nodes.map((n) => n.key));
    const toNodes = new Map(to.definition.nodes.map((n) => [n.key, n]));
    for (const [source, target] of Object.entries(input.nodeMapping)) {
      if (!fromKeys.has(source)) problems.push({ path: `body.nodeMapping.${source}`, message: `no node ${source} in version ${from.version}` });
      if (!toNodes.has(target)) problems.push({ path: `body.nodeMapping.${source}`, message: `no node ${target} in version ${to.version}` });
      else if (toNodes.get(target)?.type === 'auto') problems.push({ path: `body.nodeMapping.${source}`, message: `${target} is an automatic node; map to a task` });
    }
    for (const key of input.filter.nodeKeys ?? [...fromKeys]) {
      if (!fromKeys.has(key)) problems.push({ path: 'body.filter.nodeKeys', message: `no node ${key} in version ${from.version}` });
      else if (!input.nodeMapping[key] && !toNodes.has(key)) problems.push({ path: `body.nodeMapping.${key}`, message: `node ${key} is gone in version ${to.version}: map it` });
    }
    if (problems.length) throw new AppError('VALIDATION_FAILED', problems.map((p) => `${p.path}: ${p.message}`).join('; '), problems);
    return { from, to };
  }

  return {
    step,

    async start(actor: Actor, input: MigrationInput) {
      if (actor.storeIds !== null) throw new AppError('FORBIDDEN', 'migrating orders between versions needs an all-stores data scope');
      await checked(input);
      const id = await db.transaction(async (tx) => {
        const created = await models.WorkOrderMigration.create(
          { from_version_id: input.fromVersionId, to_version_id: input.toVersionId, filter: JSON.stringify(input.filter), node_mapping: JSON.stringify(input.nodeMapping), status: 'running', created_by: actor.userId },
          { transaction: tx },
        );
        const migrationId = Number(created.get('id'));
        const total = await models.WorkOrder.count({ where: whereOf(created.get({ plain: true })), transaction: tx });
        await models.WorkOrderMigration.update({ total }, { where: { id: migrationId }, transaction: tx });
        await deps.queue.enqueue(MIGRATE_JOB, { migrationId }, { transaction: tx, dedupeKey: `work-order-migration:${migrationId}` });
        await deps.audit.record({ action: 'work_order.migration_started', targetType: 'work_order_migration', targetId: migrationId, after: { ...input, total } }, tx);
        return migrationId;
      });
      return this.get(id);
    },

    async get(id: number) {
      const row = await models.WorkOrderMigration.findByPk(id, { raw: true });
      if (!row) throw notFound('work order migration', id);
      return present(row);
    },

    async list() {
      return (await models.WorkOrderMigration.findAll({ order: [['id', 'DESC']], limit: 100, raw: true })).map(present);
    },
  };
}

export type WorkOrderMigrations = ReturnType<typeof createWorkOrderMigrations>;
