import type { Services } from '../src/app';
import { searchTextOf } from '../src/modules/customers/customer-search-text';

export const BENCH_STORES = 20;
export const BENCH_TAGS = 40;
const EMPLOYEES_PER_STORE = 10;
const BATCH = 2000;
const MARKER = 'bench.customers';

/** Stage codes with their share of customers. */
export const benchStages: Array<[string, number]> = [
  ['new', 0.4],
  ['contacted', 0.25],
  ['intent', 0.15],
  ['deal', 0.12],
  ['repurchase', 0.05],
  ['lost', 0.03],
];

interface Marker {
  base: number;
  seeded: number;
}

/** A small deterministic PRNG, so every run seeds the same data. */
function prng(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const benchPhone = (n: number) => `139${String(n).padStart(8, '0')}`;

/**
 * Seeds `target` customers (with follows, tags, stages and custom fields) into bench stores with
 * multi-row INSERTs. Progress is kept in a settings row, so a second run skips what is there and an
 * interrupted run continues where it stopped.
 */
export async function seedBenchCustomers(services: Services, target: number, log: (line: string) => void) {
  const { models, db, pii } = services;
  const qi = db.sequelize.getQueryInterface();
  const now = new Date();

  const company = await models.Company.findOne({ order: [['id', 'ASC']], raw: true });
  const region = (await models.Region.findOne({ where: { code: 'BENCH' }, raw: true })) ?? (await models.Region.create({ company_id: Number(company?.id), code: 'BENCH', name: '压测大区' })).get({ plain: true });
  const storeIds: number[] = [];
  for (let s = 1; s <= BENCH_STORES; s += 1) {
    const code = `BENCH${String(s).padStart(2, '0')}`;
    const store = (await models.Store.findOne({ where: { code }, raw: true })) ?? (await models.Store.create({ region_id: Number(region.id), code, name: `压测门店${s}` })).get({ plain: true });
    storeIds.push(Number(store.id));
  }
  const group = (await models.TagGroup.findOne({ where: { wecom_group_id: 'bench_group' }, raw: true })) ?? (await models.TagGroup.create({ name: '压测标签', wecom_group_id: 'bench_group' })).get({ plain: true });
  const tagIds: number[] = [];
  for (let t = 0; t < BENCH_TAGS; t += 1) {
    const wecomTagId = `bench_tag_${t}`;
    const tag = (await models.Tag.findOne({ where: { wecom_tag_id: wecomTagId }, raw: true })) ?? (await models.Tag.create({ group_id: Number(group.id), name: `压测标签${t}`, wecom_tag_id: wecomTagId, sort_order: t })).get({ plain: true });
    tagIds.push(Number(tag.id));
  }

  const markerRow = await models.Setting.findByPk(MARKER, { raw: true });
  let marker: Marker = markerRow?.value ? (JSON.parse(markerRow.value) as Marker) : { base: 0, seeded: 0 };
  const saveMarker = (m: Marker) => models.Setting.upsert({ key: MARKER, value: JSON.stringify(m), secret: false, updated_at: new Date() });
  if (!marker.base) {
    marker = { base: Number((await models.Customer.max('id')) ?? 0) + 1, seeded: 0 };
    await saveMarker(marker);
  }
  if (marker.seeded >= target) {
    log(`already seeded: ${marker.seeded} bench customers`);
    return { storeIds, tagIds, base: marker.base, count: marker.seeded };
  }

  // Tag k is chosen with weight 1/(k+1): a few popular tags, a long tail.
  const weights = tagIds.map((_, k) => 1 / (k + 1));
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const pickTag = (r: number) => {
    let x = r * weightSum;
    for (let k = 0; k < weights.length; k += 1) if ((x -= weights[k] as number) <= 0) return tagIds[k] as number;
    return tagIds.at(-1) as number;
  };
  const pickStage = (r: number) => {
    let x = r;
    for (const [code, share] of benchStages) if ((x -= share) <= 0) return code;
    return 'new';
  };
  const start = Date.now();
  const spanMs = 3 * 365 * 24 * 3600 * 1000;
  const firstAdded = now.getTime() - spanMs;

  for (let from = marker.seeded; from < target; from += BATCH) {
    const random = prng(from + 1);
    const customers: Record<string, unknown>[] = [];
    const follows: Record<string, unknown>[] = [];
    const tags: Record<string, unknown>[] = [];
    for (let i = from; i < Math.min(target, from + BATCH); i += 1) {
      const id = marker.base + i;
      const storeIndex = Math.floor(random() * BENCH_STORES);
      const addedAt = new Date(firstAdded + Math.floor((i / target) * spanMs));
      const remark = random() < 0.6 ? `备注${i % 997}` : null;
      const statusRoll = random();
      const employee = `bench_emp_${storeIndex}_${Math.floor(random() * EMPLOYEES_PER_STORE)}`;
      customers.push({
        id,
        store_id: storeIds[storeIndex],
        name: `压测客户${i}`,
        ...pii.phone.seal(benchPhone(i)),
        external_userid: `wm_bench_${i}`,
        stage: pickStage(random()),
        status: statusRoll < 0.95 ? 'active' : statusRoll < 0.99 ? 'lost' : 'merged',
        store_locked: false,
        search_text: searchTextOf(`压测客户${i}`, [remark]),
        custom_fields: random() < 0.3 ? JSON.stringify({ level: random() < 0.3 ? 'gold' : 'silver' }) : null,
        added_at: addedAt,
        created_at: addedAt,
        updated_at: addedAt,
      });
      follows.push({ customer_id: id, wecom_userid: employee, remark, status: 'active', added_at: addedAt, created_at: addedAt, updated_at: addedAt });
      if (random() < 0.15) follows.push({ customer_id: id, wecom_userid: `bench_emp_${storeIndex}_x`, status: 'active', added_at: addedAt, created_at: addedAt, updated_at: addedAt });
      const tagCount = Math.floor(random() * 4);
      for (const tagId of new Set(Array.from({ length: tagCount }, () => pickTag(random()))))
        tags.push({ customer_id: id, tag_id: tagId, wecom_userid: employee, created_at: addedAt });
    }
    await db.transaction(async (transaction) => {
      await qi.bulkInsert('customers', customers, { transaction });
      await qi.bulkInsert('customer_follows', follows, { transaction });
      if (tags.length) await qi.bulkInsert('customer_tags', tags, { transaction });
    });
    marker = { ...marker, seeded: Math.min(target, from + BATCH) };
    await saveMarker(marker);
    if (marker.seeded % 50_000 < BATCH || marker.seeded === target) {
      const rate = Math.round((marker.seeded - from + from) / Math.max(1, (Date.now() - start) / 1000));
      log(`seeded ${marker.seeded}/${target} customers (${rate}/s)`);
    }
  }
  if (db.dialect === 'mysql') await db.sequelize.query('ANALYZE TABLE customers, customer_tags, customer_follows');
  else await db.sequelize.query('ANALYZE');
  return { storeIds, tagIds, base: marker.base, count: marker.seeded };
}
