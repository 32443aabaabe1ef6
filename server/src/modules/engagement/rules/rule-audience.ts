import { Op, type WhereOptions } from 'sequelize';
import type { PiiField } from '../../../core/crypto/pii-field';
import type { Database } from '../../../core/db/database';
import type { Models } from '../../../core/db/models';
import { sqlInstant } from '../../../core/db/sql-instant';
import { customerConditions } from '../../customers/customer-query';
import type { CustomerFilter } from '../../customers/customer.schemas';
import type { RulePeriod, RuleTrigger } from './rule.schemas';

interface SelectGenerator {
  selectQuery(table: string, options: { attributes: string[]; where: WhereOptions }, model: unknown): string;
}

const DAY_MS = 24 * 3600 * 1000;
/** Business dates are Asia/Shanghai (UTC+8, no daylight saving). */
const shanghai = (at: Date) => new Date(at.getTime() + 8 * 3600 * 1000).toISOString();

/** The period a firing belongs to: the same key means the rule already fired for that customer. */
export function periodKeyOf(period: RulePeriod, at: Date): string {
  const local = shanghai(at);
  if (period === 'day') return local.slice(0, 10);
  if (period === 'month') return local.slice(0, 7);
  if (period === 'year') return local.slice(0, 4);
  if (period === 'once') return 'once';
  // ISO week: the Thursday of this week decides the year
  const day = new Date(`${local.slice(0, 10)}T00:00:00Z`);
  const weekday = day.getUTCDay() || 7;
  const thursday = new Date(day.getTime() + (4 - weekday) * DAY_MS);
  const yearStart = Date.UTC(thursday.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((thursday.getTime() - yearStart) / DAY_MS + 1) / 7);
  return `${thursday.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/**
 * The SELECT of the ids of every customer a rule applies to now: its trigger as SQL (none for an event trigger) plus
 * the segment-style conditions of the customer list. One statement over the whole table, so a
 * rule costs the same few queries for a thousand customers or a million.
 */
export function audienceSql(deps: { db: Database; models: Models; phone: PiiField }, trigger: RuleTrigger, conditions: CustomerFilter, now: Date, ids?: { from: number; to: number }): string {
  const { db, models } = deps;
  const sequelize = db.sequelize;
  const literal = (text: string) => sequelize.literal(text) as unknown as WhereOptions;
  const where = [...customerConditions(conditions, { sequelize, dialect: db.dialect, phone: deps.phone }), literal(triggerCondition(db, trigger, now))];
  if (ids) where.unshift({ id: { [Op.between]: [ids.from, ids.to] } });
  const generator = sequelize.getQueryInterface().queryGenerator as unknown as SelectGenerator;
  return generator.selectQuery('customers', { attributes: ['id'], where: { [Op.and]: where } }, models.Customer).replace(/;\s*$/, '');
}

/** The trigger as SQL over `customers`; an event trigger has none (the event picked the customer). */
function triggerCondition(db: Database, trigger: RuleTrigger, now: Date): string {
  if (trigger.type === 'no_order_days') {
    const cutoff = `'${sqlInstant(db.dialect, new Date(now.getTime() - trigger.days * DAY_MS))}'`;
    return `customers.added_at < ${cutoff} AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = customers.id AND o.placed_at >= ${cutoff})`;
  }
  if (trigger.type !== 'date_field') return '1 = 1';
  // the key is validated ([a-z][a-z0-9_]*); the month and day come from the clock
  const path = `'$.${trigger.field}'`;
  const monthDay = `'${shanghai(now).slice(5, 10)}'`;
  return db.dialect === 'sqlite'
    ? `substr(json_extract(customers.custom_fields, ${path}), 6, 5) = ${monthDay}`
    : `SUBSTRING(JSON_UNQUOTE(JSON_EXTRACT(customers.custom_fields, ${path})), 6, 5) = ${monthDay}`;
}
