import { LRUCache } from 'lru-cache';
import { Op, QueryTypes, type WhereOptions } from 'sequelize';
import { totalShownBy } from '../../core/db/find-page';
import type { Models } from '../../core/db/models';
import type { CustomerRow } from './customer.model';

/** Counting stops here: beyond it the list says "10,000+" and deep pages are reached by keyset (afterId). */
export const TOTAL_CAP = 10_000;
/** Counts at least this large are remembered for COUNT_TTL_MS per filter and scope (paging repeats them). */
const COUNT_CACHE_MIN = 1_000;
const COUNT_TTL_MS = 30_000;

interface SelectGenerator {
  selectQuery(table: string, options: { attributes: string[]; where: WhereOptions; limit?: number }, model: unknown): string;
}

/**
 * Pages of customers matching a (scoped) where-clause, newest first. The first page (and a keyset
 * page) is read at once; a page further in is found in two steps: the ids alone, walked through an
 * index (a deep page skips index entries, not rows), then those rows by primary key. Ties are
 * impossible (ids are unique), so pages never overlap or skip. Keyset paging (`afterId`) reaches
 * any depth at the cost of page 1.
 */
export function createCustomerFinder(models: Models) {
  const Customer = models.Customer;
  const sequelize = Customer.sequelize!;

  async function rowsByIds(ids: number[]): Promise<CustomerRow[]> {
    if (!ids.length) return [];
    const rows = (await Customer.findAll({ where: { id: ids }, raw: true })) as unknown as CustomerRow[];
    const byId = new Map(rows.map((r) => [Number(r.id), r]));
    return ids.map((id) => byId.get(id)).filter((r): r is CustomerRow => r !== undefined);
  }

  const counts = new LRUCache<string, { total: number; capped: boolean }>({ max: 1000, ttl: COUNT_TTL_MS });

  /**
   * How many rows match, counting at most `cap` (+1 to know there are more). Large counts are
   * cached briefly, keyed by the exact SQL (so by filter and scope): a user paging through a big
   * result pays for the count once; small results are always counted afresh.
   */
  async function cappedCount(where: WhereOptions, cap: number): Promise<{ total: number; capped: boolean }> {
    const generator = sequelize.getQueryInterface().queryGenerator as unknown as SelectGenerator;
    const inner = generator.selectQuery('customers', { attributes: ['id'], where, limit: cap + 1 }, Customer).replace(/;\s*$/, '');
    const cached = counts.get(inner);
    if (cached) return cached;
    const [row] = await sequelize.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM (${inner}) AS matching`, { type: QueryTypes.SELECT });
    const n = Number(row?.n ?? 0);
    const result = n > cap ? { total: cap, capped: true } : { total: n, capped: false };
    if (n >= COUNT_CACHE_MIN) counts.set(inner, result);
    return result;
  }

  const newest = async (where: WhereOptions, limit: number) => (await Customer.findAll({ where, order: [['id', 'DESC']], limit, raw: true })) as unknown as CustomerRow[];

  const idsOf = async (where: WhereOptions, order: 'ASC' | 'DESC', limit: number, offset: number) =>
    (await Customer.findAll({ attributes: ['id'], where, order: [['id', order]], limit, offset, raw: true })).map((r) => Number(r.id));

  /**
   * The ids of one page, newest first. A page past the middle of an exactly counted result is read
   * from the oldest end (ascending, a short offset) and reversed, so the last pages cost as little
   * as the first.
   */
  async function pageIds(where: WhereOptions, offset: number, limit: number, count: { total: number; capped: boolean }) {
    if (count.capped || offset <= count.total / 2) return idsOf(where, 'DESC', limit, offset);
    const remaining = count.total - offset;
    if (remaining <= 0) return [];
    const take = Math.min(limit, remaining);
    return (await idsOf(where, 'ASC', take, remaining - take)).reverse();
  }

  return {
    cappedCount,

    async page(where: WhereOptions, range: { offset: number; limit: number; afterId?: number }) {
      let rows: CustomerRow[];
      let count: { total: number; capped: boolean };
      if (range.afterId) {
        // A keyset page: nothing to skip, its rows are read beside the count of every match (before it too).
        [rows, count] = await Promise.all([newest({ [Op.and]: [where, { id: { [Op.lt]: range.afterId } }] }, range.limit), cappedCount(where, TOTAL_CAP)]);
      } else if (range.offset === 0) {
        // The first page: a page holding every match is its own total.
        rows = await newest(where, range.limit);
        const shown = totalShownBy(rows.length, range);
        count = shown === null ? await cappedCount(where, TOTAL_CAP) : { total: shown, capped: false };
      } else {
        count = await cappedCount(where, TOTAL_CAP);
        rows = await rowsByIds(await pageIds(where, range.offset, range.limit, count));
      }
      const last = rows.at(-1);
      return { rows, ...count, nextAfterId: rows.length === range.limit && last ? Number(last.id) : null };
    },

    /** Every matching row, oldest first, in batches (keyset on id): for exports of any size. */
    async *batches(where: WhereOptions, batchSize = 1000): AsyncGenerator<CustomerRow[]> {
      let afterId = 0;
      for (;;) {
        const rows = (await Customer.findAll({ where: { [Op.and]: [where, { id: { [Op.gt]: afterId } }] }, order: [['id', 'ASC']], limit: batchSize, raw: true })) as unknown as CustomerRow[];
        if (!rows.length) return;
        yield rows;
        if (rows.length < batchSize) return;
        afterId = Number(rows.at(-1)?.id);
      }
    },
  };
}

export type CustomerFinder = ReturnType<typeof createCustomerFinder>;
