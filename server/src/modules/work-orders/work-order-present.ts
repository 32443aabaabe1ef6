import type { PiiField } from '../../core/crypto/pii-field';
import type { Models } from '../../core/db/models';
import type { WorkOrderRow } from './work-order.models';
import type { PinnedVersion } from './work-order-runtime';
import { parseJsonArray, type ProductLine, type ServiceLine } from './work-order-facts';

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/** Orders as the API shows them: names resolved, the address masked unless the caller may see it. */
export function createWorkOrderPresenter(deps: { models: Models; address: PiiField; versionOf: (id: number) => Promise<PinnedVersion> }) {
  const { models, address } = deps;

  const namesOf = <T extends { id: number }>(rows: T[], label: (row: T) => string): Map<number, string> => new Map(rows.map((r) => [Number(r.id), label(r)]));
  /** The rows of `ids`, without asking the database when there are none. */
  const byIds = async <T>(ids: number[], read: (ids: number[]) => Promise<T[]>): Promise<T[]> => (ids.length ? read(ids) : []);

  return {
    /** `reveal` says, for all rows or per row, whether the caller sees the full address. */
    async present(rows: WorkOrderRow[], reveal: boolean | ((row: WorkOrderRow) => boolean)) {
      const revealed = typeof reveal === 'function' ? reveal : () => reveal;
      const ids = (pick: (r: WorkOrderRow) => number | null) => [...new Set(rows.map(pick).filter((v): v is number => v !== null).map(Number))];
      const [users, stores, customers] = await Promise.all([
        byIds(ids((r) => r.assignee_user_id), (id) => models.User.findAll({ where: { id }, attributes: ['id', 'display_name'], raw: true })),
        byIds(ids((r) => r.store_id), (id) => models.Store.findAll({ where: { id }, attributes: ['id', 'name'], raw: true })),
        byIds(ids((r) => r.customer_id), (id) => models.Customer.findAll({ where: { id }, attributes: ['id', 'name'], raw: true })),
      ]);
      const userNames = namesOf(users, (u) => u.display_name);
      const storeNames = namesOf(stores, (s) => s.name);
      const customerNames = namesOf(customers, (c) => c.name);
      const now = Date.now();
      return Promise.all(
        rows.map(async (row) => {
          const version = await deps.versionOf(Number(row.flow_version_id));
          const node = row.current_node_key ? version.definition.nodes.find((n) => n.key === row.current_node_key) : undefined;
          const dueAt = row.node_due_at ? new Date(row.node_due_at).getTime() : null;
          return {
            id: Number(row.id),
            orderNo: row.order_no,
            flowId: Number(row.flow_id),
            flowVersionId: Number(row.flow_version_id),
            flowVersion: version.version,
            currentNodeKey: row.current_node_key,
            currentNodeName: node?.name ?? null,
            status: row.status,
            title: row.title,
            customerId: num(row.customer_id),
            customerName: row.customer_id ? (customerNames.get(Number(row.customer_id)) ?? null) : null,
            storeId: Number(row.store_id),
            storeName: storeNames.get(Number(row.store_id)) ?? null,
            address: address.present(row as unknown as Record<string, unknown>, revealed(row)),
            lat: num(row.lat),
            lng: num(row.lng),
            products: parseJsonArray<ProductLine>(row.products),
            serviceItems: parseJsonArray<ServiceLine>(row.service_items),
            sourceChannel: row.source_channel,
            priority: row.priority,
            amountFen: Number(row.amount_fen),
            assigneeUserId: num(row.assignee_user_id),
            assigneeName: row.assignee_user_id ? (userNames.get(Number(row.assignee_user_id)) ?? null) : null,
            acceptedAt: iso(row.accepted_at),
            poolRoleCode: row.pool_role_code,
            nodeStartedAt: iso(row.node_started_at),
            nodeDueAt: iso(row.node_due_at),
            pausedAt: iso(row.paused_at),
            overdue: row.status === 'open' && dueAt !== null && dueAt < now,
            lockVersion: Number(row.lock_version),
            createdAt: iso(row.created_at) as string,
            closedAt: iso(row.closed_at),
          };
        }),
      );
    },
  };
}

export type WorkOrderPresenter = ReturnType<typeof createWorkOrderPresenter>;
export type WorkOrderItem = Awaited<ReturnType<WorkOrderPresenter['present']>>[number];
