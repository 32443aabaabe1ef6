import type { Database } from '../../../core/db/database';
import type { JourneyEvent } from './journey-catalogue';
import { eventSql, secondsBetween } from './journey-event-sql';

export interface JourneyQuery {
  /** Ordered stage definitions (at least one). */
  events: JourneyEvent[];
  /** SELECT of the customers measured (`id`, `store_id`, `added_at`, `created_at`): scope, store and period applied. */
  customersSql: string;
  /** Only customers whose first channel was this contact way. */
  contactWayId?: number;
}

/** The column of `reached` holding when stage `step` (1-based) was reached. */
export const reachedColumn = (step: number) => `t${Number(step)}`;

/**
 * The WITH clause every journey statement starts from, ending in `reached`: one row per customer
 * measured, with their first channel and the instant they reached each stage (NULL if not). Stage 1
 * is the customer's first event of its kind; stage k is their first event of its kind at or after
 * stage k-1, so a stage only counts after the previous one. Each CTE of the chain adds one stage's
 * column to the one before and is read once, so no database evaluates a step twice; set-based
 * (SQLite, MySQL 8, MariaDB 10.2+) whatever the number of customers.
 */
export function reachedSql(db: Database, query: JourneyQuery): string {
  const carried = ['customer_id', 'contact_way_id', 'added'];
  const stages = query.events.map((event, index) => {
    const step = index + 1;
    const columns = carried.map((c) => `p.${c}`).join(', ');
    const previous = step === 1 ? null : `p.${reachedColumn(step - 1)}`;
    carried.push(reachedColumn(step));
    if (event.type === 'customer_added') {
      // the customer's own add time: no event table to read
      const at = previous ? `CASE WHEN ${previous} IS NOT NULL AND p.added >= ${previous} THEN p.added END` : 'p.added';
      return `c${step} AS (SELECT ${columns}, ${at} AS ${reachedColumn(step)} FROM c${step - 1} p)`;
    }
    const after = previous ? ` AND ${previous} IS NOT NULL AND e.at >= ${previous}` : '';
    return `c${step} AS (SELECT ${columns}, MIN(e.at) AS ${reachedColumn(step)} FROM c${step - 1} p LEFT JOIN (${eventSql(db, event)}) e ON e.customer_id = p.customer_id${after} GROUP BY ${columns})`;
  });
  const channel = query.contactWayId === undefined ? '' : ` WHERE ft.contact_way_id = ${Number(query.contactWayId)}`;
  // An add not yet applied to its customer (the apply job runs after the customer sync) is found by its external userid.
  return `WITH adds AS (
      SELECT ca.customer_id, ca.contact_way_id, ca.added_at, ca.id FROM engagement_channel_adds ca WHERE ca.customer_id IS NOT NULL
      UNION ALL
      SELECT cu.id, ca.contact_way_id, ca.added_at, ca.id FROM engagement_channel_adds ca JOIN customers cu ON cu.external_userid = ca.external_userid WHERE ca.customer_id IS NULL
    ),
    firsttouch AS (
      SELECT ranked.customer_id, ranked.contact_way_id FROM (
        SELECT customer_id, contact_way_id, ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY added_at, id) AS n FROM adds
      ) ranked WHERE ranked.n = 1
    ),
    c0 AS (
      SELECT base.id AS customer_id, ft.contact_way_id, COALESCE(base.added_at, base.created_at) AS added
      FROM (${query.customersSql}) base LEFT JOIN firsttouch ft ON ft.customer_id = base.id${channel}
    ),
    ${stages.join(',\n    ')},
    reached AS (SELECT * FROM c${query.events.length})`;
}

/** Customers measured and reached per stage, one row per first channel (NULL: no channel). */
export function countsSql(db: Database, query: JourneyQuery): string {
  const counts = query.events.map((_, index) => `COUNT(${reachedColumn(index + 1)}) AS r${index + 1}`).join(', ');
  return `${reachedSql(db, query)} SELECT contact_way_id AS way, COUNT(*) AS customers, ${counts} FROM reached GROUP BY contact_way_id`;
}

/**
 * Average and median seconds from stage k-1 to stage k (k ≥ 2), over the customers who reached k.
 * The median is the middle value (or the mean of the two middle ones) by ROW_NUMBER, as no
 * database here shares a MEDIAN function.
 */
export function durationsSql(db: Database, query: JourneyQuery): string | null {
  if (query.events.length < 2) return null;
  const steps = query.events.slice(1).map((_, index) => {
    const step = index + 2;
    const [from, to] = [reachedColumn(step - 1), reachedColumn(step)];
    return `SELECT ${step} AS step, ${secondsBetween(db, from, to)} AS secs FROM reached WHERE ${to} IS NOT NULL`;
  });
  return `${reachedSql(db, query)},
    spans AS (${steps.join(' UNION ALL ')}),
    ranked AS (SELECT step, secs, ROW_NUMBER() OVER (PARTITION BY step ORDER BY secs) AS rn, COUNT(*) OVER (PARTITION BY step) AS cnt FROM spans)
    SELECT step, AVG(secs) AS average, AVG(CASE WHEN rn * 2 >= cnt AND rn * 2 <= cnt + 2 THEN secs END) AS median FROM ranked GROUP BY step`;
}

/** Customers who reached stage `step` (or, `dropped`, reached the one before but not it), newest first, one page. */
export function customersAtStepSql(db: Database, query: JourneyQuery, step: number, mode: 'reached' | 'dropped', page: { offset: number; limit: number }) {
  const at = reachedColumn(step);
  const where = mode === 'reached' ? `${at} IS NOT NULL` : `${reachedColumn(step - 1)} IS NOT NULL AND ${at} IS NULL`;
  const order = mode === 'reached' ? at : reachedColumn(step - 1);
  const base = reachedSql(db, query);
  return {
    page: `${base} SELECT customer_id, contact_way_id AS way, ${order} AS at FROM reached WHERE ${where} ORDER BY ${order} DESC, customer_id DESC LIMIT ${Number(page.limit)} OFFSET ${Number(page.offset)}`,
    total: `${base} SELECT COUNT(*) AS n FROM reached WHERE ${where}`,
  };
}
