import type { PiiField } from '../../core/crypto/pii-field';
import type { Models } from '../../core/db/models';
import { createRowsByIdBatcher } from '../../core/db/statement-batcher';
import { orgNamesOf } from '../org/org-names';
import type { WorkOrderRow } from './work-order.models';
import type { PinnedVersion } from './work-order-runtime';
import { parseJsonArray, type ProductLine, type ServiceLine } from './work-order-facts';

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/** Orders as the API shows them: names resolved, the address masked unless the caller may see it. */
export function createWorkOrderPresenter(deps: { models: Models; address: PiiField; versionOf: (id: number) => Promise<PinnedVersion> }) {
  const { models, address } = deps;
  const names = orgNamesOf(models);
  // Read for every page shown: pages shown at the same moment share the statement.
  const customersById = createRowsByIdBatcher((id) => models.Customer.findAll({ where: { id }, attributes: ['id', 'name'], raw: true }), (customer) => Number(customer.id));

  return {
    /** `reveal` says, for all rows or per row, whether the caller sees the full address. */
    async present(rows: WorkOrderRow[], reveal: boolean | ((row: WorkOrderRow) => boolean)) {
      const revealed = typeof reveal === 'function' ? reveal : () => reveal;
      const [userNames, storeNames, customers] = await Promise.all([names.users(rows.map((r) => r.assignee_user_id)), names.stores(rows.map((r) => r.store_id)), customersById(rows.map((r) => r.customer_id))]);
      const customerNames = new Map(customers.map((c) => [Number(c.id), c.name]));
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
