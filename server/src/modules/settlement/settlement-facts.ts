import { Decimal } from 'decimal.js';
import { QueryTypes, type Transaction } from 'sequelize';
import type { Database } from '../../core/db/database';
import type { Models } from '../../core/db/models';
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

  async function regionOf(regionId: number | null, tx?: Transaction): Promise<JobFacts['region']> {
    if (regionId === null) return { id: null, code: null, tier: null };
    const rows = await db.sequelize.query<{ code: string; tier: string | null }>('SELECT code, tier FROM regions WHERE id = :id', { replacements: { id: regionId }, type: QueryTypes.SELECT, transaction: tx });
    return { id: regionId, code: rows[0]?.code ?? null, tier: rows[0]?.tier ?? null };
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
      const events = await models.WorkOrderEvent.findAll({ where: { work_order_id: order.id, type: ['completed', 'escalated', 'checked_in'] }, order: [['id', 'ASC']], raw: true, transaction: tx });
      const completions = events.filter((e) => e.type === 'completed');
      const form: JobFacts['form'] = {};
      let lateMinutes = 0;
      for (const event of completions) {
        const payload = parse<{ form?: Record<string, unknown>; dueAt?: string | null }>(event.payload, {});
        if (event.node_key && payload.form && typeof payload.form === 'object') form[event.node_key] = payload.form;
        if (payload.dueAt) lateMinutes += Math.max(0, Math.floor((new Date(event.created_at).getTime() - Date.parse(payload.dueAt)) / 60_000));
      }
      const completedAt = order.closed_at ? new Date(order.closed_at) : new Date();
      const store = await models.Store.findByPk(order.store_id, { attributes: ['id', 'code', 'region_id'], raw: true, transaction: tx });
      const flow = await models.Flow.findByPk(order.flow_id, { attributes: ['code'], raw: true, transaction: tx });
      const complaints = await models.Complaint.count({ where: { work_order_id: order.id }, transaction: tx });
      const products = parse<Array<{ category?: string }>>(order.products, []);
      const services = parse<Array<{ code?: string; name: string; quantity?: number }>>(order.service_items, []);
      const lastCompletion: WorkOrderEventRow | undefined = completions.filter((e) => e.actor_user_id !== null).at(-1);
      const firstCheckIn = events.find((e) => e.type === 'checked_in');
      const labourHours = numberOr(fieldOf(form, 'labour_hours'), null);
      const regionId = store ? Number(store.region_id) : null;
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
        store: { id: Number(order.store_id), code: store?.code ?? null },
        region: await regionOf(regionId, tx),
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
