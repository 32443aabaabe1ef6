import { Op, type Sequelize, type WhereOptions } from 'sequelize';
import type { PiiField } from '../../core/crypto/pii-field';
import type { Dialect } from '../../core/db/database';
import type { CustomerFilter } from './customer.schemas';

/**
 * The SQL conditions of a customer list filter. Relations (tags, follow users) are EXISTS probes on
 * the row, so a list walks `customers` newest first through an index and stops after one page;
 * nothing is joined and nothing is sorted in memory. Conditions refer to the table as `customers`,
 * the alias Sequelize gives the customers model.
 */
export function customerConditions(
  filter: CustomerFilter,
  deps: { sequelize: Sequelize; dialect: Dialect; phone: PiiField },
  options: { narrowed: boolean } = { narrowed: Boolean(filter.storeId || filter.stage?.length) },
): WhereOptions[] {
  const { sequelize, dialect, phone } = deps;
  const esc = (value: string) => sequelize.escape(value);
  const sql = (text: string) => sequelize.literal(text) as unknown as WhereOptions;
  const conditions: WhereOptions[] = [];

  if (filter.storeId) conditions.push({ store_id: filter.storeId });
  if (filter.stage?.length) conditions.push({ stage: filter.stage.length === 1 ? filter.stage[0] : { [Op.in]: filter.stage } });
  if (!filter.status) conditions.push({ status: { [Op.ne]: 'merged' } });
  else if (filter.status !== 'all') conditions.push({ status: filter.status });

  if (filter.tagIds?.length) {
    const tags = [...new Set(filter.tagIds)].map(Number);
    const match = (ids: number[]) => `FROM customer_tags ct WHERE ct.customer_id = customers.id AND ct.tag_id ${ids.length === 1 ? `= ${ids[0]}` : `IN (${ids.join(', ')})`}`;
    // Within a store or stage (an index range on customers), each row is probed for its tag: a
    // correlated scalar subquery, which MariaDB cannot turn into a semi-join that would first
    // collect every customer with a popular tag. Without one, EXISTS lets the optimizer start from the tag.
    const probe = (ids: number[]) => (options.narrowed ? `(SELECT 1 ${match(ids)} LIMIT 1) IS NOT NULL` : `EXISTS (SELECT 1 ${match(ids)})`);
    if (filter.tagMode === 'all') for (const tag of tags) conditions.push(sql(probe([tag])));
    else conditions.push(sql(probe(tags)));
  }

  const follow = (condition: string) =>
    sql(`EXISTS (SELECT 1 FROM customer_follows cf WHERE cf.customer_id = customers.id AND cf.status = 'active' AND ${condition})`);
  if (filter.followUserId) conditions.push(follow(`cf.user_id = ${Number(filter.followUserId)}`));
  if (filter.followWecomUserid) conditions.push(follow(`cf.wecom_userid = ${esc(filter.followWecomUserid)}`));

  const added: Record<symbol, Date> = {};
  if (filter.addedFrom) added[Op.gte] = businessInstant(filter.addedFrom, 'start');
  if (filter.addedTo) added[Op.lt] = businessInstant(filter.addedTo, 'end');
  if (filter.addedFrom || filter.addedTo) conditions.push({ added_at: added });

  if (filter.q) {
    // `!` escapes LIKE wildcards on both SQLite (no default escape) and MariaDB.
    const pattern = esc(`%${filter.q.replace(/[!%_]/g, (c) => `!${c}`)}%`);
    conditions.push(sql(`(customers.search_text LIKE ${pattern} ESCAPE '!' OR (customers.search_text IS NULL AND customers.name LIKE ${pattern} ESCAPE '!'))`));
  }

  if (filter.phone) conditions.push(phone.matching(filter.phone));

  for (const [key, value] of Object.entries(filter.cf ?? {})) conditions.push(sql(customFieldCondition(dialect, key, esc(value))));
  return conditions;
}

/**
 * A custom field equal to a value, or (multi-select) holding it. The key is validated
 * (`[a-z][a-z0-9_]*`), the value escaped.
 */
function customFieldCondition(dialect: Dialect, key: string, value: string): string {
  const path = `'$.${key}'`;
  if (dialect === 'sqlite') {
    // json_each walks an array's items, or yields a scalar itself.
    return `EXISTS (SELECT 1 FROM json_each(customers.custom_fields, ${path}) je WHERE CAST(je.value AS TEXT) = ${value})`;
  }
  return `(JSON_UNQUOTE(JSON_EXTRACT(customers.custom_fields, ${path})) = ${value} OR JSON_CONTAINS(JSON_EXTRACT(customers.custom_fields, ${path}), JSON_QUOTE(${value})) = 1)`;
}

const SHANGHAI_OFFSET = '+08:00';

/**
 * An instant of a filter bound. A plain date is a business day in Asia/Shanghai (UTC+8, no daylight
 * saving): `start` is its first instant, `end` the first instant of the next day.
 */
export function businessInstant(value: string, bound: 'start' | 'end'): Date {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return new Date(value);
  const start = new Date(`${value}T00:00:00.000${SHANGHAI_OFFSET}`);
  return bound === 'start' ? start : new Date(start.getTime() + 24 * 3600 * 1000);
}
