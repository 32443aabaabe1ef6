import { Op, type Transaction } from 'sequelize';
import type { OrderDelivery, PluginServices } from '@scrm/plugin-sdk';
import type { PiiField } from '../../core/crypto/pii-field';
import type { Database } from '../../core/db/database';
import type { Models } from '../../core/db/models';
import { AppError } from '../../core/errors';
import type { Actor } from '../access/actor';
import { allPermissions } from '../access/permissions';
import type { AuditService } from '../audit/audit.service';
import { searchTextOf } from '../customers/customer-search-text';
import type { TimelineWriter } from '../customers/customer-timeline';
import { distanceMeters } from '../work-orders/geo';
import type { WorkOrderModule } from '../work-orders/work-order.module';
import { createWorkOrderBody } from '../work-orders/work-order.schemas';
import type { Outbox } from './outbox';

/**
 * Services that other modules provide to plugins once they exist (orders ingest, settlement
 * refunds). Set on `plugins.ports` in the composition root.
 */
export interface PluginServicePorts {
  orders?: Pick<PluginServices['orders'], 'ingest'> & { receive(platform: string, deliveries: OrderDelivery[]): Promise<void> };
  settlement?: PluginServices['settlement'];
}

export interface PluginServiceDeps {
  db: Database;
  models: Models;
  audit: AuditService;
  outbox: Outbox;
  phone: PiiField;
  address: PiiField;
  timeline: TimelineWriter;
  workOrders: WorkOrderModule;
  ports: PluginServicePorts;
  /** Runs `customer.beforeCreate` filters (may veto with a 422). */
  beforeCreateCustomer(input: { name: string; phone?: string; storeId: number | null; source: string; tags: string[] }): Promise<{ name: string; phone?: string; storeId: number | null }>;
}

const customerView = (row: { id: number; name: string; store_id: number | null }) => ({ id: Number(row.id), name: row.name, storeId: row.store_id === null ? null : Number(row.store_id) });
const notMerged = { status: { [Op.ne]: 'merged' } };

/** Plugins act as the system administrator, recorded as `plugin:<name>` in the audit trail. */
async function pluginActor(models: Models, plugin: string): Promise<Actor> {
  const admin = await models.User.findOne({ where: { username: 'admin' }, raw: true });
  if (!admin) throw new AppError('CONFLICT', 'the admin user is missing');
  return { userId: Number(admin.id), username: `plugin:${plugin}`, displayName: `plugin:${plugin}`, roleId: Number(admin.role_id), roleCode: 'admin', permissions: new Set(allPermissions), dataScope: 'all', regionId: null, storeId: null, storeIds: null, sessionId: `plugin:${plugin}` };
}

/** The service facades one plugin sees: checked inputs, audited changes, events through the outbox. */
export function createPluginServices(deps: PluginServiceDeps, plugin: string): PluginServices {
  const { db, models, phone, address } = deps;
  const actorName = { id: null, name: `plugin:${plugin}` };

  async function createCustomer(input: Parameters<PluginServices['customers']['upsert']>[0], tx: Transaction) {
    const filtered = await deps.beforeCreateCustomer({ name: input.name, phone: input.phone, storeId: input.storeId ?? null, source: input.source, tags: [] });
    const row = (
      await models.Customer.create(
        { name: filtered.name, store_id: filtered.storeId, ...phone.seal(filtered.phone), ...address.seal(input.address), unionid: input.unionid ?? null, search_text: searchTextOf(filtered.name), added_at: new Date() } as never,
        { transaction: tx },
      )
    ).get({ plain: true }) as { id: number; store_id: number | null };
    const id = Number(row.id);
    await deps.audit.record({ action: 'customer.created', targetType: 'customer', targetId: id, storeId: filtered.storeId, after: { name: filtered.name, source: input.source }, actor: actorName }, tx);
    await deps.outbox.emit('customer.created', { customerId: id, storeId: filtered.storeId, externalUserId: null, source: input.source }, tx);
    return id;
  }

  const services: PluginServices = {
    customers: {
      async findByPhone(value) {
        const row = await models.Customer.findOne({ where: { ...phone.matching(value), ...notMerged }, raw: true });
        return row ? customerView(row) : null;
      },
      async findByUnionid(unionid) {
        const row = await models.Customer.findOne({ where: { unionid, ...notMerged }, raw: true });
        return row ? customerView(row) : null;
      },
      async upsert(input) {
        const existing = (input.phone ? await services.customers.findByPhone(input.phone) : null) ?? (input.unionid ? await services.customers.findByUnionid(input.unionid) : null);
        if (existing) return { id: existing.id, created: false };
        return { id: await db.transaction((tx) => createCustomer(input, tx)), created: true };
      },
      async addTimelineEntry(customerId, entry) {
        const customer = await models.Customer.findByPk(customerId, { raw: true });
        if (!customer) throw new AppError('NOT_FOUND', `customer ${customerId} does not exist`);
        await db.transaction((tx) =>
          deps.timeline.record({ customerId, storeId: customer.store_id, kind: entry.kind, summary: entry.title, payload: { ...entry.detail, plugin }, occurredAt: entry.occurredAt ? new Date(entry.occurredAt) : undefined }, tx),
        );
      },
    },
    stores: {
      async list() {
        const rows = await models.Store.findAll({ order: [['id', 'ASC']], raw: true });
        return rows.map((s) => ({ id: Number(s.id), code: s.code, name: s.name, regionId: s.region_id === null ? null : Number(s.region_id), lat: s.lat, lng: s.lng }));
      },
      async nearest(position) {
        const rows = await models.Store.findAll({ where: { lat: { [Op.ne]: null }, lng: { [Op.ne]: null } }, raw: true });
        const ranked = rows.map((s) => ({ id: Number(s.id), name: s.name, distanceKm: distanceMeters(position, { lat: Number(s.lat), lng: Number(s.lng) }) / 1000 })).sort((a, b) => a.distanceKm - b.distanceKm);
        return ranked[0] ?? null;
      },
    },
    orders: {
      ingest(order) {
        if (!deps.ports.orders) throw new AppError('CONFLICT', 'the orders module is not installed on this server');
        return deps.ports.orders.ingest(order);
      },
      receive(deliveries) {
        if (!deps.ports.orders) throw new AppError('CONFLICT', 'the orders module is not installed on this server');
        // A connector's platform is its plugin's name: the inbox hands the deliveries back to this plugin.
        return deps.ports.orders.receive(plugin, deliveries);
      },
    },
    workOrders: {
      async create(input) {
        const body = createWorkOrderBody.parse({ ...input, externalRef: undefined });
        const created = await deps.workOrders.service.create(await pluginActor(models, plugin), body);
        return { id: Number(created?.id), orderNo: String(created?.orderNo) };
      },
      async get(id) {
        const row = await models.WorkOrder.findByPk(id, { raw: true });
        if (!row) return null;
        const products = row.products ? (JSON.parse(row.products) as Array<{ sku?: string; name: string; quantity: number }>) : [];
        return { id: Number(row.id), orderNo: row.order_no, status: row.status, currentNodeKey: row.current_node_key, storeId: Number(row.store_id), parts: products.map((p) => ({ sku: p.sku, name: p.name, quantity: p.quantity })) };
      },
    },
    settlement: {
      refundJob(workOrderId, reason) {
        if (!deps.ports.settlement) throw new AppError('CONFLICT', 'settlement refunds are not available on this server');
        return deps.ports.settlement.refundJob(workOrderId, reason);
      },
    },
  };
  return services;
}
