import type { TestServer } from '../../../testing/test-server';

const DAY_MS = 24 * 3600 * 1000;

export interface DormantFixture {
  tagId: number;
  /** Customers added 100 days ago without an order in the last 30 days. */
  dormantIds: number[];
  /** Added long ago but ordered 5 days ago, or added 3 days ago: not dormant. */
  activeIds: number[];
}

/**
 * Customers for a "no order for 30 days" rule: dormant ones (some ordered 60 days ago), recent
 * buyers and new customers. Written straight to the tables, as a sync or an import would.
 */
export async function seedDormantCustomers(server: TestServer, label: string, dormant = 24): Promise<DormantFixture> {
  const { models } = server.running.services;
  const now = Date.now();
  const group = await models.TagGroup.create({ name: `自动化-${label}` });
  const tag = await models.Tag.create({ group_id: Number(group.get('id')), name: `沉睡-${label}` });
  const customer = (name: string, addedDaysAgo: number) => ({ name, stage: 'new', status: 'active' as const, store_locked: false, added_at: new Date(now - addedDaysAgo * DAY_MS) });
  const created = await models.Customer.bulkCreate([
    ...Array.from({ length: dormant }, (_, i) => customer(`${label}-沉睡${i}`, 100)),
    ...Array.from({ length: 6 }, (_, i) => customer(`${label}-近购${i}`, 100)),
    ...Array.from({ length: 4 }, (_, i) => customer(`${label}-新客${i}`, 3)),
  ]);
  const ids = created.map((c) => Number(c.get('id')));
  const order = (customerId: number, daysAgo: number, n: number) => ({
    platform: 'test',
    platform_order_id: `${label}-${customerId}-${n}`,
    shop_id: 'shop',
    status: 'paid' as const,
    customer_id: customerId,
    items: '[]',
    total_fen: 9900,
    paid_fen: 9900,
    source_channel: 'test',
    placed_at: new Date(now - daysAgo * DAY_MS),
    work_order_ids: '[]',
  });
  await models.Order.bulkCreate([...ids.slice(0, 5).map((id, n) => order(id, 60, n)), ...ids.slice(dormant, dormant + 6).map((id, n) => order(id, 5, n))]);
  return { tagId: Number(tag.get('id')), dormantIds: ids.slice(0, dormant), activeIds: ids.slice(dormant) };
}

/** A "no order for 30 days" rule over the fixture's customers only (their names start with the label). */
export const dormantRule = (fixture: DormantFixture, label: string) => ({
  name: `沉睡唤醒-${label}`,
  trigger: { type: 'no_order_days', days: 30 },
  conditions: { q: label },
  actions: [
    { type: 'add_tags', tagIds: [fixture.tagId] },
    { type: 'change_stage', stage: 'lost' },
  ],
  period: 'month',
  enabled: false,
});
