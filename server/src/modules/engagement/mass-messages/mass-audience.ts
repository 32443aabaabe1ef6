import { Op, type Transaction, type WhereOptions } from 'sequelize';
import type { PiiField } from '../../../core/crypto/pii-field';
import type { Database } from '../../../core/db/database';
import type { Models } from '../../../core/db/models';
import type { Actor } from '../../access/actor';
import { scopeWhere } from '../../access/data-scope';
import { customerConditions } from '../../customers/customer-query';
import { customerScope } from '../../customers/customer.model';
import type { Audience } from './mass-message.schemas';

/** The creator's data scope, kept with the message: a scheduled send reaches only their customers. */
export type AudienceScope = Pick<Actor, 'dataScope' | 'userId' | 'storeId' | 'regionId' | 'storeIds'>;

export const scopeOf = (actor: Actor): AudienceScope => ({ dataScope: actor.dataScope, userId: actor.userId, storeId: actor.storeId, regionId: actor.regionId, storeIds: actor.storeIds });

/** The customers a scope reaches, as the customer list restricts them (scopeWhere reads only these fields). */
export const customersInScope = (scope: AudienceScope): WhereOptions => scopeWhere(scope as Actor, customerScope);

const PAGE = 1000;

/**
 * The ids of the customers an audience reaches within a scope, ascending, a page at a time (keyset
 * on id), so a large audience is never held whole in one query result.
 */
export async function* audienceIds(deps: { db: Database; models: Models; phone: PiiField }, audience: Audience, scope: AudienceScope, tx?: Transaction): AsyncGenerator<number[]> {
  const { db, models } = deps;
  const filter = audience.type === 'filter' ? audience.filter : audience.type === 'tags' ? { tagIds: audience.tagIds, tagMode: audience.tagMode } : {};
  const conditions: WhereOptions[] = [customersInScope(scope), ...customerConditions(filter, { sequelize: db.sequelize, dialect: db.dialect, phone: deps.phone })];
  if (audience.type === 'customers') conditions.push({ id: audience.customerIds });
  let after = 0;
  for (;;) {
    const rows = await models.Customer.findAll({ where: { [Op.and]: [...conditions, { id: { [Op.gt]: after } }] }, attributes: ['id'], order: [['id', 'ASC']], limit: PAGE, raw: true, transaction: tx });
    if (!rows.length) return;
    const ids = rows.map((r) => Number(r.id));
    yield ids;
    if (rows.length < PAGE) return;
    after = ids[ids.length - 1]!;
  }
}
