import type { CommerceOrder } from '@scrm/plugin-sdk';
import type { TestServer } from '../../testing/test-server';
import { waitUntil } from '../../testing/wait-until';
import { storeIdOf } from '../work-orders/work-order-test-kit';

/** Store positions for nearest-store routing (real city centres). */
export const storePositions: Record<string, { lat: number; lng: number }> = {
  SH01: { lat: 31.1885, lng: 121.4365 },
  HZ01: { lat: 30.2741, lng: 120.1551 },
  GZ01: { lat: 23.1291, lng: 113.2644 },
  SZ01: { lat: 22.5431, lng: 114.0579 },
};

/** A buyer in Hangzhou (nearest store HZ01) paying for an air conditioner with installation. */
export function acOrder(overrides: Partial<CommerceOrder> = {}): CommerceOrder {
  const at = new Date().toISOString();
  return {
    platform: 'douyin',
    platformOrderId: `DY${Date.now()}${Math.floor(Math.random() * 1e6)}`,
    shopId: 'shop-1',
    status: 'paid',
    buyer: { name: '王小姐', phone: '13900001111', address: '杭州市西湖区文二路 1 号', lat: 30.28, lng: 120.13 },
    items: [{ sku: 'AC-35', name: '挂式空调 1.5 匹', category: 'air_conditioner', quantity: 1, unitPriceFen: 299900 }],
    totalFen: 299900,
    paidFen: 299900,
    sourceChannel: 'douyin_live',
    createdAt: at,
    paidAt: at,
    ...overrides,
  };
}

/** The rule the connector and order tests share: air conditioners → `flowCode` in the buyer's nearest store. */
export const acOrderRule = (flowCode: string) => ({
  name: '空调 → 安装（最近门店）',
  priority: 10,
  conditions: { all: [{ fact: 'categories', operator: 'contains', value: 'air_conditioner' }] },
  flowCode,
  storeStrategy: 'nearest',
  serviceItems: [{ match: { category: 'air_conditioner' }, code: 'ac_install', name: '空调安装' }],
});

export function orderKit(server: TestServer) {
  const { services } = server.running;

  /**
   * Processes every stored order delivery and runs every queued job, also those the background worker
   * claimed (a delivery's processing queues the rules, which queue the work order's own jobs).
   */
  async function settle() {
    await services.orders.inbox.dispatchPending();
    const running = () => services.models.Job.count({ where: { status: 'running' } });
    for (let round = 0; round < 20; round += 1) {
      const ran = await services.queue.drain();
      if (ran === 0 && (await running()) === 0) return;
      await waitUntil(async () => (await running()) === 0, 20_000, 20);
    }
    throw new Error('jobs kept coming after 20 rounds of draining');
  }

  return {
    settle,

    async placeStores(token: string) {
      for (const [code, position] of Object.entries(storePositions)) {
        const reply = await server.api('PUT', `/api/order-store-positions/${await storeIdOf(server, code)}`, { token, body: position });
        if (reply.status !== 200) throw new Error(`position ${code}: ${JSON.stringify(reply.body)}`);
      }
    },

    async addRule(token: string, body: Record<string, unknown>) {
      const reply = await server.api<{ data: { id: number } }>('POST', '/api/order-rules', { token, body });
      if (reply.status !== 200) throw new Error(`rule: ${JSON.stringify(reply.body)}`);
      return reply.body.data.id;
    },

    /** Takes an order in as a connector does, then runs what it queued (rules, refunds). */
    async ingest(order: CommerceOrder) {
      const result = await services.orders.ingest(order);
      await settle();
      return result;
    },

    async orderByPlatformId(token: string, platformOrderId: string) {
      const reply = await server.api<{ data: { items: Array<{ id: number; platformOrderId: string; status: string; customerId: number | null; storeId: number | null; workOrderIds: number[]; routingNote: string | null; buyerPhone: string | null }> } }>(
        'GET',
        `/api/orders?keyword=${encodeURIComponent(platformOrderId)}`,
        { token },
      );
      return reply.body.data.items.find((o) => o.platformOrderId === platformOrderId);
    },
  };
}
