import { Op, type WhereOptions } from 'sequelize';
import { findPage } from '../../core/db/find-page';
import type { Models } from '../../core/db/models';
import { notFound } from '../../core/errors';
import { pageOf, toOffset } from '../../core/http/pagination';
import { can, type Actor } from '../access/actor';
import { withinScope } from '../access/data-scope';
import type { OrderPresenter } from './order-present';
import { orderScope } from './order.models';
import type { OrderListQuery } from './order.schemas';

const like = (value: string) => ({ [Op.like]: `%${value.replace(/[%_\\]/g, '\\$&')}%` });

/** Lists and reads orders within the caller's data scope (an order belongs to the store it was routed to). */
export function createOrderQueries(deps: { models: Models; present: OrderPresenter }) {
  const { models, present } = deps;
  const reveal = (actor: Actor) => can(actor, 'customer:pii:read');

  return {
    async list(actor: Actor, query: OrderListQuery) {
      const conditions: WhereOptions[] = [];
      if (query.platform) conditions.push({ platform: query.platform });
      if (query.status) conditions.push({ status: query.status });
      if (query.storeId) conditions.push({ store_id: query.storeId });
      if (query.customerId) conditions.push({ customer_id: query.customerId });
      if (query.keyword) conditions.push({ [Op.or]: [{ platform_order_id: like(query.keyword) }, { buyer_name: like(query.keyword) }, { item_index: like(query.keyword) }] });
      const { rows, count } = await findPage(models.Order, { where: withinScope(actor, orderScope, { [Op.and]: conditions }), order: [['id', 'DESC']], ...toOffset(query), raw: true });
      return pageOf(await present(rows, reveal(actor)), count, query);
    },

    async detail(actor: Actor, id: number) {
      const row = await models.Order.findOne({ where: withinScope(actor, orderScope, { id }), raw: true });
      if (!row) throw notFound('order', id);
      return (await present([row], reveal(actor)))[0]!;
    },
  };
}

export type OrderQueries = ReturnType<typeof createOrderQueries>;
