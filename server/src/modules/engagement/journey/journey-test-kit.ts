import type { TestServer } from '../../../testing/test-server';

const HOUR_MS = 3600 * 1000;
const at = (iso: string, plusHours = 0) => new Date(Date.parse(iso) + plusHours * HOUR_MS);

export interface JourneyFixture {
  ways: { counter: number; flyer: number };
  stores: { sh: number; hz: number };
  ids: Record<'full' | 'firstOrder' | 'orderedBeforeChat' | 'employeeOnly' | 'direct' | 'earlyShanghai' | 'lateFebruary' | 'merged', number>;
}

/**
 * Customers of March 2026 (Asia/Shanghai) with the events of the default journey (added → replied
 * → first order → second order), written straight to the tables as the syncs, the chat archive and
 * the order intake would:
 * - full: replies 1 h after the add, first order 23 h later, second 48 h after that (counter channel, SH01)
 * - firstOrder: replies after 2 h, orders 48 h later, no second order (counter, SH01)
 * - orderedBeforeChat: orders before ever replying (24 h after the add): stops at 互动 (flyer, SH01)
 * - employeeOnly: only the employee wrote; orders anyway: stops at 添加好友 (flyer, HZ01)
 * - direct: added without a contact way, nothing else (SH01)
 * - earlyShanghai: added 1 March 01:00 Shanghai (still 28 February in UTC) (counter, SH01)
 * - lateFebruary: added 28 February 23:00 Shanghai: outside March (counter, SH01)
 * - merged: merged into another customer: never counted (SH01)
 */
export async function seedJourney(server: TestServer): Promise<JourneyFixture> {
  const { models } = server.running.services;
  const stores = await models.Store.findAll({ where: { code: ['SH01', 'HZ01'] }, raw: true });
  const storeOf = (code: string) => Number(stores.find((s) => s.code === code)!.id);
  const [sh, hz] = [storeOf('SH01'), storeOf('HZ01')];
  const way = async (name: string, state: string) =>
    Number((await models.ContactWay.create({ name, state, skip_verify: true, users: '[]', backup_users: '[]', schedule: '[]', current_users: '[]', tag_ids: '[]', store_id: sh })).get('id'));
  const ways = { counter: await way('旅程·柜台', 'journey-counter'), flyer: await way('旅程·传单', 'journey-flyer') };

  const people = [
    { key: 'full', store: sh, added: '2026-03-02T02:00:00Z', way: ways.counter },
    { key: 'firstOrder', store: sh, added: '2026-03-04T02:00:00Z', way: ways.counter },
    { key: 'orderedBeforeChat', store: sh, added: '2026-03-05T02:00:00Z', way: ways.flyer },
    { key: 'employeeOnly', store: hz, added: '2026-03-10T02:00:00Z', way: ways.flyer },
    { key: 'direct', store: sh, added: '2026-03-15T02:00:00Z', way: null },
    { key: 'earlyShanghai', store: sh, added: '2026-02-28T17:00:00Z', way: ways.counter },
    { key: 'lateFebruary', store: sh, added: '2026-02-28T15:00:00Z', way: ways.counter },
    { key: 'merged', store: sh, added: '2026-03-03T02:00:00Z', way: null },
  ] as const;
  const created = await models.Customer.bulkCreate(
    people.map((p) => ({ name: `旅程-${p.key}`, store_id: p.store, external_userid: `wm-journey-${p.key}`, stage: 'new', status: p.key === 'merged' ? ('merged' as const) : ('active' as const), store_locked: false, added_at: at(p.added) })),
  );
  const ids = Object.fromEntries(people.map((p, i) => [p.key, Number(created[i]!.get('id'))])) as JourneyFixture['ids'];
  const person = (key: keyof JourneyFixture['ids']) => people.find((p) => p.key === key)!;

  // the counter add of `full` is not applied yet (no customer_id): found by its external userid
  await models.ChannelAdd.bulkCreate(
    people
      .filter((p) => p.way !== null)
      .map((p) => ({ contact_way_id: p.way!, external_userid: `wm-journey-${p.key}`, wecom_userid: 'zhangsan', customer_id: p.key === 'full' ? null : ids[p.key], added_at: at(p.added), created_at: at(p.added) })),
  );
  // a later add of `full` through the flyer does not change its first channel
  await models.ChannelAdd.create({ contact_way_id: ways.flyer, external_userid: 'wm-journey-full', wecom_userid: 'lisi', customer_id: ids.full, added_at: at(person('full').added, 30), created_at: at(person('full').added, 30) });

  let seq = 0;
  const message = (key: keyof JourneyFixture['ids'], hoursAfterAdd: number, fromCustomer: boolean) => {
    seq += 1;
    const external = `wm-journey-${key}`;
    return { msgid: `journey-${seq}`, seq, status: 'stored' as const, msgtype: 'text', action: 'send', from_id: fromCustomer ? external : 'zhangsan', to_ids: '[]', room_id: null, external_userid: external, customer_id: ids[key], employee_userid: 'zhangsan', store_id: null, msg_time: at(person(key).added, hoursAfterAdd), text: '你好', payload: null, publickey_ver: 1, encrypt_random_key: null, encrypt_chat_msg: null, revoked_at: null, created_at: new Date() };
  };
  await models.ArchiveMessage.bulkCreate([
    message('full', 0.5, false),
    message('full', 1, true),
    message('firstOrder', 2, true),
    message('orderedBeforeChat', 24, true),
    message('employeeOnly', 1, false),
  ]);

  const order = (key: keyof JourneyFixture['ids'], hoursAfterAdd: number, status = 'paid') => ({
    platform: 'test',
    platform_order_id: `journey-${key}-${hoursAfterAdd}`,
    shop_id: 'shop',
    status: status as 'paid',
    customer_id: ids[key],
    items: '[]',
    total_fen: 19900,
    paid_fen: 19900,
    source_channel: 'test',
    placed_at: at(person(key).added, hoursAfterAdd),
    work_order_ids: '[]',
  });
  await models.Order.bulkCreate([
    order('full', 24),
    order('full', 72),
    order('firstOrder', 50),
    // a cancelled order is no order
    order('firstOrder', 60, 'cancelled'),
    order('orderedBeforeChat', 1),
    order('orderedBeforeChat', 48),
    order('employeeOnly', 5),
  ]);
  return { ways, stores: { sh, hz }, ids };
}
