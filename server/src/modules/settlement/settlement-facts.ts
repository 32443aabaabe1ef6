import { Decimal } from 'decimal.js';
import type { Transaction } from 'sequelize';
import type { Database } from '../../core/db/database';
import { driverSelect } from '../../core/db/driver-execute';
import type { Models } from '../../core/db/models';
import { selectRows } from '../../core/db/raw-rows';
import type { WorkOrderEventRow, WorkOrderRow } from '../work-orders/work-order.models';
import { shanghaiDate } from './settlement-dates';
import type { JobFacts } from './settlement-rules';

const parse = <T>(text: string | null, fallback: T): T => {
  if (!text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
};

const numberOr = (value: unknown, fallback: number | null): number | null => {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : fallback;
};

/** The first value of a form field keyed `field` in any node's form (later nodes win). */
function fieldOf(form: JobFacts['form'], field: string): unknown {
  let found: unknown;
  for (const values of Object.values(form)) if (values[field] !== undefined && values[field] !== null && values[field] !== '') found = values[field];
  return found;
}

const hoursBetween = (from: Date, to: Date) => new Decimal(Math.max(0, to.getTime() - from.getTime())).div(3_600_000).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toString();

/**
 * Builds the facts a job is priced on from the finished order and its history: node forms from the
 * `completed` entries, breaches from `escalated` ones, lateness from each completion against the
 * node's due time, hours on site from `labour_hours` or from the first check-in to completion.
 */
export function createFactsBuilder(deps: { db: Database; models: Models }) {
  const { db, models } = deps;

  /** The order's store and the store's region, in one read. */
  async function placeOf(storeId: number, tx?: Transaction) {
    const [row] = await driverSelect<{ code: string; region_id: number | null; region_code: string | null; tier: string | null }>(
      db.sequelize,
      'SELECT s.code, s.region_id, r.code AS region_code, r.tier FROM stores s LEFT JOIN regions r ON r.id = s.region_id WHERE s.id = ?',
      [storeId],
      tx,
    );
    const regionId = row ? Number(row.region_id) : null;
    const region: JobFacts['region'] = regionId === null ? { id: null, code: null, tier: null } : { id: regionId, code: row?.region_code ?? null, tier: row?.tier ?? null };
    return { storeCode: row?.code ?? null, region };
  }

  async function customerOf(customerId: number | null, tx?: Transaction): Promise<JobFacts['customer']> {
    if (customerId === null) return { id: null, tags: [], stage: null };
    const customer = await models.Customer.findByPk(customerId, { attributes: ['id', 'stage'], raw: true, transaction: tx });
    const links = await models.CustomerTag.findAll({ where: { customer_id: customerId }, attributes: ['tag_id'], raw: true, transaction: tx });
    const tags = links.length ? await models.Tag.findAll({ where: { id: [...new Set(links.map((l) => Number(l.tag_id)))] }, attributes: ['name'], raw: true, transaction: tx }) : [];
    return { id: customerId, tags: tags.map((t) => t.name).sort(), stage: customer?.stage ?? null };
  }

  return {
    async build(order: WorkOrderRow, tx?: Transaction): Promise<JobFacts> {
      const events = await selectRows(models.WorkOrderEvent, { work_order_id: order.id, type: ['completed', 'escalated', 'checked_in'] }, tx, { orderBy: 'id' });
      const completions = events.filter((e) => e.type === 'completed');
      const form: JobFacts['form'] = {};
      let lateMinutes = 0;
      for (const event of completions) {
        const payload = parse<{ form?: Record<string, unknown>; dueAt?: string | null }>(event.payload, {});
        if (event.node_key && payload.form && typeof payload.form === 'object') form[event.node_key] = payload.form;
        if (payload.dueAt) lateMinutes += Math.max(0, Math.floor((new Date(event.created_at).getTime() - Date.parse(payload.dueAt)) / 60_000));
      }
      const completedAt = order.closed_at ? new Date(order.closed_at) : new Date();
      const place = await placeOf(Number(order.store_id), tx);
      const [flow] = await selectRows(models.Flow, { id: order.flow_id }, tx);
      const complaints = (await selectRows(models.Complaint, { work_order_id: order.id }, tx)).length;
      const products = parse<Array<{ category?: string }>>(order.products, []);
      const services = parse<Array<{ code?: string; name: string; quantity?: number }>>(order.service_items, []);
      const lastCompletion: WorkOrderEventRow | undefined = completions.filter((e) => e.actor_user_id !== null).at(-1);
      const firstCheckIn = events.find((e) => e.type === 'checked_in');
      const labourHours = numberOr(fieldOf(form, 'labour_hours'), null);
      const regionId = place.region.id;
      const rating = numberOr(fieldOf(form, 'rating'), null);
      return {
        order: {
          id: Number(order.id),
          orderNo: order.order_no,
          amountFen: Number(order.amount_fen ?? 0),
          priority: order.priority,
          flowCode: flow?.code ?? '',
          productCategories: [...new Set(products.map((p) => p.category).filter((c): c is string => Boolean(c)))],
        },
        workOrder: { completedAt: completedAt.toISOString(), completedOn: shanghaiDate(completedAt), breaches: events.filter((e) => e.type === 'escalated').length, nodeCount: completions.length },
        form,
        customer: await customerOf(order.customer_id ? Number(order.customer_id) : null, tx),
        store: { id: Number(order.store_id), code: place.storeCode },
        region: place.region,
        source: order.source_channel,
        rating,
        serviceItems: services.map((s) => ({ code: s.code ?? s.name, name: s.name, quantity: Number(s.quantity ?? 1) })),
        complaints,
        lateMinutes,
        recycledUnits: numberOr(fieldOf(form, 'recycled_units'), 0) ?? 0,
        hours: labourHours !== null ? new Decimal(labourHours).toString() : firstCheckIn ? hoursBetween(new Date(firstCheckIn.created_at), completedAt) : '0',
        payees: { technicianUserId: lastCompletion ? Number(lastCompletion.actor_user_id) : null, storeId: Number(order.store_id), regionId },
      };
    },
  };
}

export type FactsBuilder = ReturnType<typeof createFactsBuilder>;
