import { randomInt } from 'node:crypto';
import { Op, UniqueConstraintError, type WhereOptions } from 'sequelize';
import type { FilterPort } from '../plugins/filter-port';
import type { PiiField } from '../../core/crypto/pii-field';
import type { Database } from '../../core/db/database';
import { findPage } from '../../core/db/find-page';
import type { Models } from '../../core/db/models';
import { uniqueFieldsOf } from '../../core/db/unique-fields';
import { AppError } from '../../core/errors';
import { can, type Actor } from '../access/actor';
import { assertStoreInScope } from '../access/data-scope';
import { scopedQuery } from '../access/scoped-query';
import type { AuditService } from '../audit/audit.service';
import { customerScope, type CustomerRow } from '../customers/customer.model';
import type { WorkOrderHistory } from './work-order-history';
import type { WorkOrderPresenter } from './work-order-present';
import type { WorkOrderRuntime } from './work-order-runtime';
import type { StepRunActions } from './work-order-step-actions';
import { orderInScope, withinOrderScope } from './work-order-scope';
import type { WorkOrderRow } from './work-order.models';
import type { FlowsPort } from './work-order.ports';
import type { CreateWorkOrderInput, WorkOrderListQuery } from './work-order.schemas';
import { orgNamesOf } from '../org/org-names';

const orderNumber = () => {
  const now = new Date();
  const day = `${now.getUTCFullYear()}${String(now.getUTCMonth() + 1).padStart(2, '0')}${String(now.getUTCDate()).padStart(2, '0')}`;
  return `WO${day}${String(randomInt(0, 1e9)).padStart(9, '0')}`;
};

/**
 * A number drawn for a new order can belong to one of the day's earlier orders (a chance of one in a
 * million for each 1,000 orders already created that day): the creation then runs again with a new number.
 */
async function withFreshOrderNumber<T>(create: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await create();
    } catch (error) {
      const takenNumber = error instanceof UniqueConstraintError && uniqueFieldsOf(error).some((field) => field.includes('order_no'));
      if (!takenNumber || attempt >= attempts) throw error;
    }
  }
}

/** Creating, finding and reading work orders; what happens to them afterwards is in the action service. */
export function createWorkOrderService(deps: {
  db: Database;
  models: Models;
  audit: AuditService;
  address: PiiField;
  flows: FlowsPort;
  runtime: WorkOrderRuntime;
  history: WorkOrderHistory;
  presenter: WorkOrderPresenter;
  stepRuns: Pick<StepRunActions, 'current'>;
  filters?: FilterPort;
}) {
  const { db, models, audit, address, runtime, history, presenter } = deps;
  const customers = scopedQuery<CustomerRow>(models.Customer, customerScope, 'customer');

  async function customerOf(actor: Actor, input: CreateWorkOrderInput): Promise<CustomerRow | null> {
    if (input.customerId) return customers.byId(actor, input.customerId);
    if (input.externalUserId) {
      const [found] = await customers.all(actor, { external_userid: input.externalUserId }, [['id', 'ASC']], 1);
      if (!found) throw new AppError('NOT_FOUND', `customer ${input.externalUserId} not found`, [{ path: 'body.externalUserId', message: 'no such customer in your scope' }]);
      return found;
    }
    return null;
  }

  /** The full address for those who may see addresses, and for the technician the order is assigned to (they go there). */
  const present = async (actor: Actor, rows: WorkOrderRow[]) =>
    presenter.present(rows, (row) => can(actor, 'customer:pii:read') || (row.assignee_user_id !== null && Number(row.assignee_user_id) === actor.userId));

  function listWhere(actor: Actor, query: WorkOrderListQuery): WhereOptions {
    const conditions: WhereOptions[] = [];
    if (query.status?.length) conditions.push({ status: query.status });
    if (query.nodeKey?.length) conditions.push({ current_node_key: query.nodeKey });
    if (query.storeId) conditions.push({ store_id: query.storeId });
    if (query.assigneeUserId) conditions.push({ assignee_user_id: query.assigneeUserId });
    if (query.flowId) conditions.push({ flow_id: query.flowId });
    if (query.overdue !== undefined) {
      conditions.push(query.overdue ? { status: 'open', node_due_at: { [Op.lt]: new Date() } } : { [Op.or]: [{ node_due_at: null }, { node_due_at: { [Op.gte]: new Date() } }, { status: { [Op.ne]: 'open' } }] });
    }
    if (query.claimable) conditions.push({ assignee_user_id: null, pool_role_code: actor.roleCode, status: 'open' });
    if (query.keyword) conditions.push({ [Op.or]: [{ order_no: { [Op.like]: `%${query.keyword.replace(/[%_\\]/g, '\\$&')}%` } }, { title: { [Op.like]: `%${query.keyword.replace(/[%_\\]/g, '\\$&')}%` } }] });
    return withinOrderScope(actor, { [Op.and]: conditions });
  }

  return {
    present,

    async create(actor: Actor, given: CreateWorkOrderInput) {
      const customer = await customerOf(actor, given);
      const givenStoreId = given.storeId ?? (customer?.store_id ? Number(customer.store_id) : actor.storeId);
      if (!givenStoreId) throw new AppError('VALIDATION_FAILED', 'choose the store that serves this order', [{ path: 'body.storeId', message: 'required when the customer has no store' }]);
      // Plugins may change the order (flow, store, priority, items) or refuse it (422) before anything is written.
      const filtered = deps.filters
        ? await deps.filters.run('workOrder.beforeCreate', { flowCode: given.flowCode, storeId: givenStoreId, customerId: customer ? Number(customer.id) : null, sourceChannel: given.sourceChannel, priority: given.priority, serviceItems: given.serviceItems })
        : null;
      const input: CreateWorkOrderInput = filtered ? { ...given, flowCode: filtered.flowCode, priority: filtered.priority as CreateWorkOrderInput['priority'], sourceChannel: filtered.sourceChannel, serviceItems: filtered.serviceItems.map((item) => ({ ...item, quantity: item.quantity })) } : given;
      const storeId = filtered?.storeId ?? givenStoreId;
      assertStoreInScope(actor, storeId);
      const version = await deps.flows.latestVersion(input.flowCode);
      if (!version) throw new AppError('VALIDATION_FAILED', `flow ${input.flowCode} has no published version`, [{ path: 'body.flowCode', message: 'no published version' }]);
      const plainAddress = input.address ?? (customer ? address.open(customer as unknown as Record<string, unknown>) : null);
      const id = await withFreshOrderNumber(() => db.transaction(async (tx) => {
        const created = (
          await models.WorkOrder.create(
            {
              order_no: orderNumber(),
              flow_id: version.flowId,
              flow_version_id: version.id,
              status: 'open',
              title: input.title ?? null,
              customer_id: customer ? Number(customer.id) : null,
              store_id: storeId,
              ...address.seal(plainAddress),
              lat: input.lat ?? null,
              lng: input.lng ?? null,
              products: JSON.stringify(input.products),
              service_items: JSON.stringify(input.serviceItems),
              source_channel: input.sourceChannel,
              priority: input.priority,
              amount_fen: input.amountFen,
              lock_version: 0,
              created_by: actor.userId,
            },
            { transaction: tx },
          )
        ).get({ plain: true }) as WorkOrderRow;
        await history.append([{ orderId: created.id, type: 'created', actorUserId: actor.userId, payload: { flowVersionId: version.id, version: version.version, sourceChannel: input.sourceChannel } }], tx);
        await runtime.enterNode(created, version.definition, version.definition.start, tx, actor.userId);
        await audit.record(
          { action: 'work_order.created', targetType: 'work_order', targetId: created.id, storeId, after: { orderNo: created.order_no, flowVersionId: version.id, customerId: created.customer_id, sourceChannel: input.sourceChannel, amountFen: input.amountFen } },
          tx,
        );
        return Number(created.id);
      }));
      return (await present(actor, [await orderInScope(models, actor, id)]))[0];
    },

    async list(actor: Actor, query: WorkOrderListQuery) {
      const { rows, count } = await findPage(models.WorkOrder, { where: listWhere(actor, query), order: [['id', 'DESC']], offset: (query.page - 1) * query.pageSize, limit: query.pageSize, raw: true });
      return { items: await present(actor, rows), total: count, page: query.page, pageSize: query.pageSize };
    },

    /** An order with its history, comments, attachments and its current task's form. */
    async detail(actor: Actor, id: number) {
      const row = await orderInScope(models, actor, id);
      const [item] = await present(actor, [row]);
      const version = await runtime.versionOf(Number(row.flow_version_id));
      const node = row.current_node_key ? version.definition.nodes.find((n) => n.key === row.current_node_key) : undefined;
      const [events, comments, attachments, automation] = await Promise.all([
        models.WorkOrderEvent.findAll({ where: { work_order_id: id }, order: [['id', 'ASC']], raw: true }),
        models.WorkOrderComment.findAll({ where: { work_order_id: id }, order: [['id', 'ASC']], raw: true }),
        models.WorkOrderAttachment.findAll({ where: { work_order_id: id }, order: [['id', 'ASC']], raw: true }),
        node?.type === 'auto' ? deps.stepRuns.current(row) : null,
      ]);
      const names = await orgNamesOf(models).users([...events.map((e) => e.actor_user_id), ...comments.map((c) => c.author_user_id), ...attachments.map((a) => a.uploaded_by)]);
      const nameOf = (userId: number | null) => (userId === null ? null : (names.get(Number(userId)) ?? null));
      return {
        ...item,
        currentNode: node && row.status !== 'done' && row.status !== 'cancelled' ? { key: node.key, name: node.name, type: node.type, form: node.form ?? null, timeLimit: node.timeLimit ?? null } : null,
        /** The asynchronous step the order waits at (自动处理中 / failed, to retry or skip). */
        automation,
        nodes: version.definition.nodes.map((n) => ({ key: n.key, name: n.name, type: n.type })),
        history: events.map((e) => ({ id: Number(e.id), type: e.type, nodeKey: e.node_key, actorUserId: e.actor_user_id === null ? null : Number(e.actor_user_id), actorName: nameOf(e.actor_user_id), payload: e.payload ? (JSON.parse(e.payload) as Record<string, unknown>) : null, at: new Date(e.created_at).toISOString() })),
        comments: comments.map((c) => ({ id: Number(c.id), body: c.body, authorUserId: c.author_user_id === null ? null : Number(c.author_user_id), authorName: nameOf(c.author_user_id), at: new Date(c.created_at).toISOString() })),
        attachments: attachments.map((a) => ({
          id: Number(a.id),
          nodeKey: a.node_key,
          kind: a.kind,
          fileName: a.file_name,
          contentType: a.content_type,
          size: Number(a.size),
          capturedAt: a.captured_at ? new Date(a.captured_at).toISOString() : null,
          lat: a.lat === null ? null : Number(a.lat),
          lng: a.lng === null ? null : Number(a.lng),
          uploadedBy: nameOf(a.uploaded_by),
          at: new Date(a.created_at).toISOString(),
        })),
      };
    },

    async comment(actor: Actor, id: number, body: string) {
      const order = await orderInScope(models, actor, id);
      return db.transaction(async (tx) => {
        const created = await models.WorkOrderComment.create({ work_order_id: id, author_user_id: actor.userId, body }, { transaction: tx });
        await history.append([{ orderId: id, type: 'commented', nodeKey: order.current_node_key, actorUserId: actor.userId, payload: { commentId: Number(created.get('id')) } }], tx);
        await audit.record({ action: 'work_order.commented', targetType: 'work_order', targetId: id, storeId: Number(order.store_id), after: { commentId: Number(created.get('id')) } }, tx);
        return { id: Number(created.get('id')), body, authorUserId: actor.userId, authorName: actor.displayName, at: new Date(created.get('created_at') as Date).toISOString() };
      });
    },
  };
}

export type WorkOrderService = ReturnType<typeof createWorkOrderService>;
