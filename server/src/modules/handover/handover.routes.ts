import { route } from '../../core/http/define-route';
import { idParams, pageOf, pageSchema, toOffset } from '../../core/http/pagination';
import { activeEmployees, presentEmployee } from './handover-people';
import type { Handover } from './handover.module';
import { assetsView, departedView, employeeList, employeeQuery, handoverBody, handoverQuery, handoverView, itemQuery, itemView, retryBody, useridParams } from './handover.schemas';

export const handoverRoutes = (handover: Handover, models: Parameters<typeof activeEmployees>[0]) => [
  route({
    method: 'get',
    path: '/api/handovers/departed-employees',
    tag: 'handover',
    summary: 'Employees who left (our records and WeCom’s unassigned list), with their customers and group chats counted',
    permission: 'customer:handover',
    response: departedView,
    handler: ({ actor }) => handover.departed.list(actor),
  }),
  route({
    method: 'get',
    path: '/api/handovers/employees',
    tag: 'handover',
    summary: 'Serving employees in your scope (takeover candidates, in-service handovers)',
    permission: 'customer:handover',
    query: employeeQuery,
    response: employeeList,
    handler: async ({ actor, query }) => (await activeEmployees(models, actor, query.q)).map(presentEmployee),
  }),
  route({
    method: 'get',
    path: '/api/handovers/employees/:userid/assets',
    tag: 'handover',
    summary: 'An employee’s customers and group chats, marking those already in a running handover',
    permission: 'customer:handover',
    params: useridParams,
    response: assetsView,
    handler: ({ actor, params }) => handover.departed.assets(actor, params.userid),
  }),
  route({
    method: 'get',
    path: '/api/handovers',
    tag: 'handover',
    summary: 'Handovers in your scope with their progress',
    permission: 'customer:handover',
    query: handoverQuery,
    response: pageSchema(handoverView),
    handler: async ({ actor, query }) => {
      const { items, total } = await handover.list(actor, query, toOffset(query));
      return pageOf(items, total, query);
    },
  }),
  route({
    method: 'post',
    path: '/api/handovers',
    tag: 'handover',
    summary: 'Hand customers and group chats over to another employee (resigned or in service)',
    permission: 'customer:handover',
    body: handoverBody,
    response: handoverView,
    handler: ({ actor, body }) => handover.create(actor, body),
  }),
  route({ method: 'get', path: '/api/handovers/:id', tag: 'handover', summary: 'One handover with its progress', permission: 'customer:handover', params: idParams, response: handoverView, handler: ({ actor, params }) => handover.get(actor, params.id) }),
  route({
    method: 'get',
    path: '/api/handovers/:id/items',
    tag: 'handover',
    summary: 'A handover’s customers and chats with their status; failed ones first',
    permission: 'customer:handover',
    params: idParams,
    query: itemQuery,
    response: pageSchema(itemView),
    handler: async ({ actor, params, query }) => {
      const { items, total } = await handover.items(actor, params.id, query, toOffset(query));
      return pageOf(items, total, query);
    },
  }),
  route({
    method: 'post',
    path: '/api/handovers/:id/retry',
    tag: 'handover',
    summary: 'Submit failed items again (all, or those named)',
    permission: 'customer:handover',
    params: idParams,
    body: retryBody,
    response: handoverView,
    handler: ({ actor, params, body }) => handover.retry(actor, params.id, body.itemIds),
  }),
  route({
    method: 'post',
    path: '/api/handovers/:id/refresh',
    tag: 'handover',
    summary: 'Ask WeCom for this handover’s results now',
    permission: 'customer:handover',
    params: idParams,
    response: handoverView,
    handler: ({ actor, params }) => handover.refresh(actor, params.id),
  }),
];
