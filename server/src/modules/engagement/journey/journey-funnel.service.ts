import { Op, QueryTypes, type WhereOptions } from 'sequelize';
import type { Services } from '../../../app';
import { toOffset, pageOf } from '../../../core/http/pagination';
import { validationFailed } from '../../../core/errors';
import type { Actor } from '../../access/actor';
import { withinScope } from '../../access/data-scope';
import { customerConditions } from '../../customers/customer-query';
import { customerScope } from '../../customers/customer.model';
import { countsSql, customersAtStepSql, durationsSql, type JourneyQuery } from './journey-funnel-sql';
import type { JourneyStageService } from './journey-stages.service';
import type { FunnelQuery, FunnelView, StageView, StepCustomersQuery } from './journey.schemas';
import { orgNamesOf } from '../../org/org-names';

type Deps = Pick<Services, 'db' | 'models'> & { phone: Services['pii']['phone']; stages: JourneyStageService };

interface SelectGenerator {
  selectQuery(table: string, options: { attributes: string[]; where: WhereOptions }, model: unknown): string;
}

const rate = (part: number, whole: number) => (whole ? Math.round((part / whole) * 10_000) / 10_000 : 0);
const wholeSeconds = (value: unknown) => (value === null || value === undefined ? null : Math.round(Number(value)));
const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

/**
 * The journey funnel (客户旅程): customers added in a period (Asia/Shanghai days), in the actor's
 * store scope, optionally of one store or first channel; how many reached each stage, the
 * conversion of each step, the time it took, the same per channel, and who reached a step.
 */
export function createJourneyFunnel(deps: Deps) {
  const { db, models, stages } = deps;
  const sequelize = db.sequelize;
  const select = <T extends object>(sql: string) => sequelize.query<T>(sql, { type: QueryTypes.SELECT });

  /** The customers measured, as SQL: scope, store and period go through the customer list's own conditions. */
  function customersSql(actor: Actor, filter: FunnelQuery): string {
    const conditions = customerConditions({ storeId: filter.storeId, addedFrom: filter.from, addedTo: filter.to }, { sequelize, dialect: db.dialect, phone: deps.phone });
    const generator = sequelize.getQueryInterface().queryGenerator as unknown as SelectGenerator;
    const where = withinScope(actor, customerScope, { [Op.and]: conditions });
    return generator.selectQuery('customers', { attributes: ['id', 'store_id', 'added_at', 'created_at'], where }, models.Customer).replace(/;\s*$/, '');
  }

  const queryOf = (actor: Actor, filter: FunnelQuery, list: StageView[]): JourneyQuery => ({ events: list.map((s) => s.event), customersSql: customersSql(actor, filter), contactWayId: filter.contactWayId });

  async function wayNames(ids: number[]): Promise<Map<number, string>> {
    if (!ids.length) return new Map();
    return new Map((await models.ContactWay.findAll({ where: { id: ids }, attributes: ['id', 'name'], raw: true })).map((w) => [Number(w.id), w.name]));
  }

  return {
    async funnel(actor: Actor, filter: FunnelQuery): Promise<FunnelView> {
      const list = await stages.list();
      const query = queryOf(actor, filter, list);
      const durations = durationsSql(db, query);
      const [rows, timings] = await Promise.all([select<Record<string, unknown>>(countsSql(db, query)), durations ? select<{ step: number; average: unknown; median: unknown }>(durations) : []]);
      const spans = new Map(timings.map((d) => [Number(d.step), d]));

      const reachedOf = (row: Record<string, unknown>) => list.map((_, i) => Number(row[`r${i + 1}`] ?? 0));
      const customers = rows.reduce((sum, row) => sum + Number(row.customers), 0);
      const totals = list.map((_, i) => rows.reduce((sum, row) => sum + reachedOf(row)[i]!, 0));
      const names = await wayNames(rows.map((r) => r.way).filter((w) => w !== null).map(Number));
      const channels = rows
        .map((row) => {
          const reached = reachedOf(row);
          const way = row.way === null ? null : Number(row.way);
          return { contactWayId: way, name: way === null ? null : (names.get(way) ?? null), customers: Number(row.customers), reached, conversion: rate(reached.at(-1)!, reached[0]!) };
        })
        .sort((a, b) => Number(a.contactWayId === null) - Number(b.contactWayId === null) || b.customers - a.customers || (a.contactWayId ?? 0) - (b.contactWayId ?? 0));

      return {
        customers,
        stages: list.map((stage, i) => ({
          ...stage,
          reached: totals[i]!,
          conversionFromPrevious: rate(totals[i]!, i === 0 ? customers : totals[i - 1]!),
          conversionFromFirst: rate(totals[i]!, totals[0]!),
          averageSeconds: wholeSeconds(spans.get(i + 1)?.average),
          medianSeconds: wholeSeconds(spans.get(i + 1)?.median),
        })),
        channels,
      };
    },

    /** One page of the customers at a step (the funnel's click-through), newest first. */
    async customersAtStep(actor: Actor, filter: StepCustomersQuery) {
      const list = await stages.list();
      if (filter.step > list.length) throw validationFailed([{ path: 'query.step', message: `the journey has ${list.length} stages` }]);
      const sql = customersAtStepSql(db, queryOf(actor, filter, list), filter.step, filter.mode, toOffset(filter));
      const [rows, [counted]] = await Promise.all([select<{ customer_id: number; way: number | null; at: Date | string }>(sql.page), select<{ n: number }>(sql.total)]);
      const ids = rows.map((r) => Number(r.customer_id));
      const customers = new Map((await models.Customer.findAll({ where: { id: ids }, attributes: ['id', 'name', 'store_id', 'added_at'], raw: true })).map((c) => [Number(c.id), c]));
      const storeNames = await orgNamesOf(models).stores([...customers.values()].map((c) => c.store_id));
      const names = await wayNames(rows.map((r) => r.way).filter((w): w is number => w !== null).map(Number));
      const items = rows.map((row) => {
        const customer = customers.get(Number(row.customer_id));
        const storeId = customer?.store_id === null || customer?.store_id === undefined ? null : Number(customer.store_id);
        return {
          id: Number(row.customer_id),
          name: customer?.name ?? '',
          storeId,
          storeName: storeId === null ? null : (storeNames.get(storeId) ?? null),
          contactWayName: row.way === null ? null : (names.get(Number(row.way)) ?? null),
          addedAt: iso(customer?.added_at ?? null),
          at: iso(row.at)!,
        };
      });
      return pageOf(items, Number(counted?.n ?? 0), filter);
    },
  };
}

export type JourneyFunnel = ReturnType<typeof createJourneyFunnel>;
