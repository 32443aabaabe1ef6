import type { Database } from '../../../core/db/database';
import { assertUnreachable } from '../../../core/errors';
import type { JourneyEvent } from './journey-catalogue';

/**
 * The SELECT of `(customer_id, at)`: every instant an event of this kind happened to a customer.
 * The add itself is read from the customers measured (`c0`); the funnel query uses their `added`
 * column directly. Settings are validated numbers or escaped text.
 */
export function eventSql(db: Database, event: JourneyEvent): string {
  const escape = (value: string) => db.sequelize.escape(value);
  switch (event.type) {
    case 'customer_added':
      // the funnel reads `added` of the customers measured directly; this is the same as a table of events
      return 'SELECT customer_id, added AS at FROM c0';
    case 'first_message': {
      // one-to-one chats only; consent notices and recalls are no conversation
      const fromCustomer = event.from === 'customer' ? ' AND m.from_id = m.external_userid' : '';
      return `SELECT m.customer_id, m.msg_time AS at FROM archive_messages m
        WHERE m.customer_id IS NOT NULL AND m.room_id IS NULL AND m.status = 'stored' AND m.msg_time IS NOT NULL
          AND (m.action IS NULL OR m.action = 'send') AND (m.msgtype IS NULL OR m.msgtype NOT IN ('agree', 'disagree'))${fromCustomer}`;
    }
    case 'tag_added':
      return `SELECT ct.customer_id, ct.created_at AS at FROM customer_tags ct${event.tagId ? ` WHERE ct.tag_id = ${Number(event.tagId)}` : ''}`;
    case 'stage_reached': {
      const target = db.dialect === 'sqlite' ? "json_extract(t.payload, '$.to')" : "JSON_UNQUOTE(JSON_EXTRACT(t.payload, '$.to'))";
      return `SELECT t.customer_id, t.occurred_at AS at FROM customer_timeline t WHERE t.kind = 'stage.changed' AND ${target} = ${escape(event.stage)}`;
    }
    case 'order_created':
      return `SELECT numbered.customer_id, numbered.at FROM (
          SELECT o.customer_id, o.placed_at AS at, ROW_NUMBER() OVER (PARTITION BY o.customer_id ORDER BY o.placed_at, o.id) AS nth
          FROM orders o WHERE o.customer_id IS NOT NULL AND o.status <> 'cancelled'
        ) numbered WHERE numbered.nth = ${Number(event.nth)}`;
    case 'work_order_completed':
      return "SELECT w.customer_id, w.closed_at AS at FROM work_orders w WHERE w.customer_id IS NOT NULL AND w.status = 'done' AND w.closed_at IS NOT NULL";
    default:
      return assertUnreachable(event);
  }
}

/** Seconds from instant column `a` to `b`, with milliseconds. */
export function secondsBetween(db: Database, a: string, b: string): string {
  return db.dialect === 'sqlite' ? `((julianday(${b}) - julianday(${a})) * 86400.0)` : `(TIMESTAMPDIFF(MICROSECOND, ${a}, ${b}) / 1000000.0)`;
}
