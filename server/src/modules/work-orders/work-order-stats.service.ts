import { fn, col, Op } from 'sequelize';
import type { Models } from '../../core/db/models';
import type { Actor } from '../access/actor';
import type { WorkOrderPresenter } from './work-order-present';
import type { WorkOrderRuntime } from './work-order-runtime';
import { withinOrderScope } from './work-order-scope';
import { pausingStatuses } from './work-order.models';

const DAY_MS = 24 * 60 * 60 * 1000;
const OVERDUE_LIMIT = 50;

interface BreachCounter {
  id: number;
  name: string | null;
  measured: number;
  breached: number;
}

const rateOf = (c: BreachCounter) => ({ ...c, rate: c.measured === 0 ? 0 : Math.round((c.breached / c.measured) * 1000) / 1000 });

/**
 * The supervisor's view of the orders in the caller's scope: open orders per node, orders past
 * their node's limit, and breach rates by store and by assignee. A task counts as measured when it
 * had a time limit, and as breached when it was completed after its due time or is still open past it.
 */
export function createWorkOrderStats(deps: { models: Models; runtime: WorkOrderRuntime; presenter: WorkOrderPresenter; canRevealAddress: (actor: Actor) => boolean }) {
  const { models, runtime, presenter } = deps;

  async function publishedFlows() {
    const [flows, versions] = await Promise.all([
      models.Flow.findAll({ attributes: ['id', 'code', 'name'], order: [['id', 'ASC']], raw: true }),
      models.FlowVersion.findAll({ attributes: ['flow_id', [fn('MAX', col('version')), 'latest']], group: ['flow_id'], raw: true }) as unknown as Promise<Array<{ flow_id: number; latest: number }>>,
    ]);
    const latest = new Map(versions.map((v) => [Number(v.flow_id), Number(v.latest)]));
    return flows.filter((f) => latest.has(Number(f.id))).map((f) => ({ id: Number(f.id), code: f.code, name: f.name, latestVersion: latest.get(Number(f.id)) as number }));
  }

  async function openByNode(actor: Actor, flowNames: Map<number, string>) {
    const now = Date.now();
    const rows = (await models.WorkOrder.findAll({
      where: withinOrderScope(actor, { status: ['open', ...pausingStatuses] }),
      attributes: ['flow_id', 'flow_version_id', 'current_node_key', 'status', 'node_due_at'],
      raw: true,
    })) as Array<{ flow_id: number; flow_version_id: number; current_node_key: string | null; status: string; node_due_at: Date | null }>;
    const groups = new Map<string, { flowId: number; flowName: string | null; nodeKey: string; nodeName: string; open: number; paused: number; overdue: number }>();
    for (const row of rows) {
      if (!row.current_node_key) continue;
      const version = await runtime.versionOf(Number(row.flow_version_id));
      const nodeName = version.definition.nodes.find((n) => n.key === row.current_node_key)?.name ?? row.current_node_key;
      const id = `${row.flow_id}:${row.current_node_key}`;
      const group = groups.get(id) ?? { flowId: Number(row.flow_id), flowName: flowNames.get(Number(row.flow_id)) ?? null, nodeKey: row.current_node_key, nodeName, open: 0, paused: 0, overdue: 0 };
      if (row.status === 'open') group.open += 1;
      else group.paused += 1;
      if (row.status === 'open' && row.node_due_at && new Date(row.node_due_at).getTime() < now) group.overdue += 1;
      groups.set(id, group);
    }
    return [...groups.values()].sort((a, b) => a.flowId - b.flowId || b.open + b.paused - (a.open + a.paused));
  }

  async function breachRates(actor: Actor, since: Date) {
    const now = new Date();
    const completions = await models.WorkOrderEvent.findAll({ where: { type: 'completed', created_at: { [Op.gte]: since } }, attributes: ['work_order_id', 'actor_user_id', 'payload', 'created_at'], raw: true });
    const measuredCompletions = completions
      .map((e) => ({ orderId: Number(e.work_order_id), userId: e.actor_user_id === null ? null : Number(e.actor_user_id), at: new Date(e.created_at), dueAt: (e.payload ? (JSON.parse(e.payload) as { dueAt?: string | null }).dueAt : null) ?? null }))
      .filter((c) => c.dueAt !== null);
    const orderIds = [...new Set(measuredCompletions.map((c) => c.orderId))];
    const [completedOrders, openOrders] = await Promise.all([
      orderIds.length ? models.WorkOrder.findAll({ where: withinOrderScope(actor, { id: orderIds }), attributes: ['id', 'store_id'], raw: true }) : Promise.resolve([]),
      models.WorkOrder.findAll({ where: withinOrderScope(actor, { status: 'open', node_due_at: { [Op.ne]: null } }), attributes: ['id', 'store_id', 'assignee_user_id', 'node_due_at'], raw: true }),
    ]);
    const storeOf = new Map(completedOrders.map((o) => [Number(o.id), Number(o.store_id)]));
    const byStore = new Map<number, BreachCounter>();
    const byUser = new Map<number, BreachCounter>();
    const count = (map: Map<number, BreachCounter>, id: number, breached: boolean) => {
      const counter = map.get(id) ?? { id, name: null, measured: 0, breached: 0 };
      counter.measured += 1;
      if (breached) counter.breached += 1;
      map.set(id, counter);
    };
    for (const c of measuredCompletions) {
      const storeId = storeOf.get(c.orderId);
      if (storeId === undefined) continue;
      const late = c.at.getTime() > new Date(c.dueAt as string).getTime();
      count(byStore, storeId, late);
      if (c.userId !== null) count(byUser, c.userId, late);
    }
    for (const o of openOrders) {
      const late = new Date(o.node_due_at as Date).getTime() < now.getTime();
      count(byStore, Number(o.store_id), late);
      if (o.assignee_user_id !== null) count(byUser, Number(o.assignee_user_id), late);
    }
    const [stores, users] = await Promise.all([
      models.Store.findAll({ where: { id: [...byStore.keys()] }, attributes: ['id', 'name'], raw: true }),
      models.User.findAll({ where: { id: [...byUser.keys()] }, attributes: ['id', 'display_name'], raw: true }),
    ]);
    for (const s of stores) (byStore.get(Number(s.id)) as BreachCounter).name = s.name;
    for (const u of users) (byUser.get(Number(u.id)) as BreachCounter).name = u.display_name;
    const sorted = (map: Map<number, BreachCounter>) => [...map.values()].map(rateOf).sort((a, b) => b.rate - a.rate || b.measured - a.measured);
    return { byStore: sorted(byStore), byAssignee: sorted(byUser) };
  }

  return {
    publishedFlows,

    async stats(actor: Actor, query: { days: number }) {
      const since = new Date(Date.now() - query.days * DAY_MS);
      const flows = await publishedFlows();
      const flowNames = new Map(flows.map((f) => [f.id, f.name]));
      const overdueRows = await models.WorkOrder.findAll({ where: withinOrderScope(actor, { status: 'open', node_due_at: { [Op.lt]: new Date() } }), order: [['node_due_at', 'ASC']], limit: OVERDUE_LIMIT, raw: true });
      const [nodes, breaches, overdue] = await Promise.all([openByNode(actor, flowNames), breachRates(actor, since), presenter.present(overdueRows, deps.canRevealAddress(actor))]);
      return { since: since.toISOString(), flows, openByNode: nodes, overdue, breachByStore: breaches.byStore, breachByAssignee: breaches.byAssignee };
    },
  };
}

export type WorkOrderStats = ReturnType<typeof createWorkOrderStats>;
