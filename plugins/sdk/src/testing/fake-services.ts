import type { CommerceOrder } from '../events';
import type { OrderDelivery, PluginServices } from '../context';

/** What the in-memory services were asked to do, for a test to assert on. */
export interface FakeServiceRecord {
  customers: Array<{ id: number; name: string; phone?: string; unionid?: string; storeId: number | null; source: string }>;
  timeline: Array<{ customerId: number; kind: string; title: string; detail?: Record<string, unknown> }>;
  orders: Array<{ orderId: number; order: CommerceOrder }>;
  /** Order deliveries stored, one per (order id, event) as the core's inbox keeps them. */
  orderDeliveries: OrderDelivery[];
  workOrders: Array<{ id: number; orderNo: string; input: Parameters<PluginServices['workOrders']['create']>[0]; status: string }>;
  refunds: Array<{ workOrderId: number; reason: string }>;
}

export type ServiceOverrides = { [K in keyof PluginServices]?: Partial<PluginServices[K]> };

export interface FakeStore {
  id: number;
  code?: string | null;
  name: string;
  regionId?: number | null;
  lat?: number | null;
  lng?: number | null;
}

const distanceKm = (a: { lat: number; lng: number }, b: { lat: number; lng: number }) => {
  const rad = (d: number) => (d * Math.PI) / 180;
  const h = Math.sin(rad(b.lat - a.lat) / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(rad(b.lng - a.lng) / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
};

const statusRank: Record<CommerceOrder['status'], number> = { created: 0, paid: 1, shipped: 2, completed: 3, refunded: 4, cancelled: 4 };

/** In-memory stand-ins for the core's service facades, with the same idempotency rules. */
export function createFakeServices(stores: FakeStore[], overrides: ServiceOverrides = {}): { services: PluginServices; record: FakeServiceRecord } {
  const record: FakeServiceRecord = { customers: [], timeline: [], orders: [], orderDeliveries: [], workOrders: [], refunds: [] };
  const view = (c: FakeServiceRecord['customers'][number]) => ({ id: c.id, name: c.name, storeId: c.storeId });
  const services: PluginServices = {
    customers: {
      async findByPhone(phone) {
        const found = record.customers.find((c) => c.phone === phone);
        return found ? view(found) : null;
      },
      async findByUnionid(unionid) {
        const found = record.customers.find((c) => c.unionid === unionid);
        return found ? view(found) : null;
      },
      async upsert(input) {
        const found = record.customers.find((c) => (input.phone && c.phone === input.phone) || (input.unionid && c.unionid === input.unionid));
        if (found) return { id: found.id, created: false };
        const id = record.customers.length + 1;
        record.customers.push({ id, name: input.name, phone: input.phone, unionid: input.unionid, storeId: input.storeId ?? null, source: input.source });
        return { id, created: true };
      },
      async addTimelineEntry(customerId, entry) {
        record.timeline.push({ customerId, ...entry });
      },
      ...overrides.customers,
    },
    stores: {
      async list() {
        return stores.map((s) => ({ id: s.id, code: s.code ?? null, name: s.name, regionId: s.regionId ?? null, lat: s.lat ?? null, lng: s.lng ?? null }));
      },
      async nearest(position) {
        const ranked = stores
          .filter((s) => typeof s.lat === 'number' && typeof s.lng === 'number')
          .map((s) => ({ id: s.id, name: s.name, distanceKm: distanceKm(position, { lat: s.lat as number, lng: s.lng as number }) }))
          .sort((a, b) => a.distanceKm - b.distanceKm);
        return ranked[0] ?? null;
      },
      ...overrides.stores,
    },
    orders: {
      async ingest(order) {
        const found = record.orders.find((o) => o.order.platform === order.platform && o.order.platformOrderId === order.platformOrderId);
        if (!found) {
          const orderId = record.orders.length + 1;
          record.orders.push({ orderId, order });
          return { orderId, created: true, statusChanged: false };
        }
        const forward = statusRank[order.status] > statusRank[found.order.status];
        if (forward) found.order = order;
        return { orderId: found.orderId, created: false, statusChanged: forward };
      },
      async receive(deliveries) {
        for (const delivery of deliveries) {
          if (!record.orderDeliveries.some((d) => d.platformOrderId === delivery.platformOrderId && d.event === delivery.event)) record.orderDeliveries.push(delivery);
        }
      },
      ...overrides.orders,
    },
    workOrders: {
      async create(input) {
        const id = record.workOrders.length + 1;
        const orderNo = `WO-TEST-${String(id).padStart(4, '0')}`;
        record.workOrders.push({ id, orderNo, input, status: 'open' });
        return { id, orderNo };
      },
      async get(id) {
        const found = record.workOrders.find((w) => w.id === id);
        if (!found) return null;
        return { id, orderNo: found.orderNo, status: found.status, currentNodeKey: null, storeId: found.input.storeId, parts: (found.input.products ?? []).map((p) => ({ sku: p.sku, name: p.name, quantity: p.quantity })) };
      },
      ...overrides.workOrders,
    },
    settlement: {
      async refundJob(workOrderId, reason) {
        record.refunds.push({ workOrderId, reason });
      },
      ...overrides.settlement,
    },
  };
  return { services, record };
}
