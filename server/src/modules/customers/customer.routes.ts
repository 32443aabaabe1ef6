import { route } from '../../core/http/define-route';
import { idParams, pageOf, pageSchema, toOffset } from '../../core/http/pagination';
import type { CustomerService } from './customer.service';
import { customer, customerBody, customerFilter, customerPatch, customerQuery, customerStats } from './customer.schemas';

export const customerRoutes = (customers: CustomerService) => [
  route({
    method: 'get',
    path: '/api/customers',
    tag: 'customers',
    summary: 'Customers in your scope; filter by name, store or exact phone',
    permission: 'customer:read',
    query: customerQuery,
    response: pageSchema(customer),
    handler: async ({ actor, query }) => {
      const { items, total } = await customers.list(actor, query, toOffset(query));
      return pageOf(items, total, query);
    },
  }),
  route({
    method: 'get',
    path: '/api/customers/export',
    tag: 'customers',
    summary: 'Export the customers in your scope as CSV',
    permission: 'customer:export',
    query: customerFilter,
    raw: true,
    handler: async ({ actor, query, ctx }) => {
      ctx.type = 'text/csv; charset=utf-8';
      ctx.attachment('customers.csv');
      ctx.body = await customers.exportCsv(actor, query);
    },
  }),
  route({ method: 'get', path: '/api/customers/stats', tag: 'customers', summary: 'Customer counts per store in your scope', permission: 'customer:read', response: customerStats, handler: ({ actor }) => customers.stats(actor) }),
  route({ method: 'get', path: '/api/customers/:id', tag: 'customers', summary: 'One customer', permission: 'customer:read', params: idParams, response: customer, handler: ({ actor, params }) => customers.get(actor, params.id) }),
  route({ method: 'post', path: '/api/customers', tag: 'customers', summary: 'Create a customer', permission: 'customer:write', body: customerBody, response: customer, handler: ({ actor, body }) => customers.create(actor, body) }),
  route({
    method: 'patch',
    path: '/api/customers/:id',
    tag: 'customers',
    summary: 'Change a customer',
    permission: 'customer:write',
    params: idParams,
    body: customerPatch,
    response: customer,
    handler: ({ actor, params, body }) => customers.update(actor, params.id, body),
  }),
  route({ method: 'delete', path: '/api/customers/:id', tag: 'customers', summary: 'Delete a customer', permission: 'customer:write', params: idParams, handler: ({ actor, params }) => customers.remove(actor, params.id) }),
];
