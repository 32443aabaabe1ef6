import { z } from 'zod';
import { route } from '../../core/http/define-route';
import { idParams, pageOf, pageSchema, toOffset } from '../../core/http/pagination';
import { storeStrategies } from './order.models';
import type { OrdersModule } from './orders.module';
import * as schemas from './order.schemas';

const tag = 'shop orders';
const shop = z.object({ id: z.number(), platform: z.string(), shopId: z.string(), name: z.string(), defaultStoreId: z.number().nullable() });
const storePosition = z.object({ id: z.number(), code: z.string(), name: z.string(), lat: z.number().nullable(), lng: z.number().nullable() });
const factCatalogue = [
  { fact: 'categories', type: 'list', operators: ['contains', 'doesNotContain'] },
  { fact: 'skus', type: 'list', operators: ['contains', 'doesNotContain'] },
  { fact: 'totalFen', type: 'fen', operators: ['greaterThanInclusive', 'greaterThan', 'lessThanInclusive', 'lessThan', 'equal'] },
  { fact: 'paidFen', type: 'fen', operators: ['greaterThanInclusive', 'greaterThan', 'lessThanInclusive', 'lessThan', 'equal'] },
  { fact: 'itemCount', type: 'number', operators: ['greaterThanInclusive', 'lessThanInclusive', 'equal'] },
  { fact: 'platform', type: 'text', operators: ['equal', 'notEqual', 'in', 'notIn'] },
  { fact: 'sourceChannel', type: 'text', operators: ['equal', 'notEqual', 'in', 'notIn'] },
  { fact: 'shopId', type: 'text', operators: ['equal', 'notEqual', 'in', 'notIn'] },
] as const;

export const orderRoutes = (orders: OrdersModule) => [
  route({ method: 'get', path: '/api/orders', tag, summary: 'Shop orders in your data scope', permission: 'order:read', query: schemas.orderListQuery, response: pageSchema(schemas.orderItem), readReplica: true, handler: ({ actor, query }) => orders.queries.list(actor, query) }),
  route({ method: 'get', path: '/api/orders/:id', tag, summary: 'One shop order', permission: 'order:read', params: idParams, response: schemas.orderItem, handler: ({ actor, params }) => orders.queries.detail(actor, params.id) }),
  route({
    method: 'get',
    path: '/api/order-rules/catalogue',
    tag,
    summary: 'What rule conditions may test, the store strategies, and categories and SKUs seen in orders (for the pickers)',
    permission: 'order:manage',
    response: z.object({ facts: z.array(z.object({ fact: z.string(), type: z.string(), operators: z.array(z.string()) })), storeStrategies: z.array(z.string()), categories: z.array(z.string()), skus: z.array(z.string()) }),
    handler: async () => ({ facts: factCatalogue.map((f) => ({ ...f, operators: [...f.operators] })), storeStrategies: [...storeStrategies], ...(await orders.rules.seenItems()) }),
  }),
  route({
    method: 'get',
    path: '/api/order-inbox',
    tag,
    summary: 'Order deliveries received from the shop platforms, newest first, with their processing status (dead: processing gave up); for users who see every store',
    permission: 'order:manage',
    query: schemas.inboxListQuery,
    response: pageSchema(schemas.inboxItem),
    handler: async ({ actor, query }) => {
      const { items, total } = await orders.inbox.list(actor, query, toOffset(query));
      return pageOf(items, total, query);
    },
  }),
  route({
    method: 'post',
    path: '/api/order-inbox/:id/replay',
    tag,
    summary: 'Process a dead order delivery again',
    permission: 'order:manage',
    params: idParams,
    response: z.object({ replayed: z.boolean() }),
    handler: async ({ actor, params }) => {
      await orders.inbox.replay(actor, params.id);
      return { replayed: true };
    },
  }),
  route({ method: 'get', path: '/api/order-rules', tag, summary: 'Order rules, first match wins (by priority)', permission: 'order:manage', response: z.array(schemas.ruleItem), handler: () => orders.rules.listRules() }),
  route({ method: 'post', path: '/api/order-rules', tag, summary: 'Add an order rule', permission: 'order:manage', body: schemas.ruleBody, response: schemas.ruleItem, handler: ({ body }) => orders.rules.createRule(body) }),
  route({ method: 'put', path: '/api/order-rules/:id', tag, summary: 'Change an order rule', permission: 'order:manage', params: idParams, body: schemas.ruleBody, response: schemas.ruleItem, handler: ({ params, body }) => orders.rules.updateRule(params.id, body) }),
  route({ method: 'delete', path: '/api/order-rules/:id', tag, summary: 'Delete an order rule', permission: 'order:manage', params: idParams, handler: ({ params }) => orders.rules.removeRule(params.id) }),
  route({ method: 'get', path: '/api/order-shops', tag, summary: 'Platform shops and their default store (the fallback when the nearest store is unknown), in your data scope', permission: 'order:manage', response: z.array(shop), handler: ({ actor }) => orders.rules.listShops(actor) }),
  route({ method: 'put', path: '/api/order-shops', tag, summary: 'Add or change a platform shop', permission: 'order:manage', body: schemas.shopBody, response: shop, handler: ({ actor, body }) => orders.rules.saveShop(actor, body) }),
  route({ method: 'get', path: '/api/order-store-positions', tag, summary: 'Store positions used for nearest-store routing', permission: 'order:manage', response: z.array(storePosition), handler: () => orders.rules.listStorePositions() }),
  route({
    method: 'put',
    path: '/api/order-store-positions/:id',
    tag,
    summary: "Set a store's position",
    permission: 'order:manage',
    params: idParams,
    body: schemas.storePositionBody,
    response: storePosition,
    handler: ({ params, body }) => orders.rules.setStorePosition(params.id, body),
  }),
];
