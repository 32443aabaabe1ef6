import { PassThrough } from 'node:stream';
import { route } from '../../core/http/define-route';
import { idParams } from '../../core/http/pagination';
import { parsePart } from '../../core/http/validation';
import type { CustomerService } from './customer.service';
import { segment, segmentBody, segmentPatch } from './customer-segments.schemas';
import { customer, customerBody, customerExportQuery, customerPage, customerPatch, customerQuery, customerStats, customFieldParams } from './customer.schemas';

/** `cf.<key>=value` query parameters: custom field filters. */
function customFieldsOf(query: Record<string, unknown>) {
  const raw = Object.fromEntries(Object.entries(query).filter(([key]) => key.startsWith('cf.')).map(([key, value]) => [key.slice(3), Array.isArray(value) ? value.at(-1) : value]));
  if (!Object.keys(raw).length) return undefined;
  return parsePart('query', customFieldParams, raw);
}

export const customerRoutes = (customers: CustomerService) => [
  route({
    method: 'get',
    path: '/api/customers',
    tag: 'customers',
    summary: 'Customers in your scope, newest first; filter by tags (any/all), store, follow user, stage, added date, custom fields (cf.<key>=value), keyword, exact phone, status or a saved segment',
    permission: 'customer:read',
    query: customerQuery,
    response: customerPage,
    readReplica: true,
    handler: ({ actor, query, ctx }) => {
      const { page, pageSize, afterId, ...search } = query;
      return customers.list(actor, { ...search, cf: customFieldsOf(ctx.query) }, { page, pageSize, afterId });
    },
  }),
  route({
    method: 'get',
    path: '/api/customers/export',
    tag: 'customers',
    summary: 'Export the customers in your scope matching the list filter, as xlsx (format=xlsx) or CSV; at most 100,000 rows',
    permission: 'customer:export',
    query: customerExportQuery,
    raw: true,
    readReplica: true,
    handler: async ({ actor, query, ctx }) => {
      const { format, ...search } = query;
      const file = await customers.prepareExport(actor, { ...search, cf: customFieldsOf(ctx.query) }, format);
      const body = new PassThrough();
      ctx.type = file.contentType;
      ctx.attachment(file.fileName);
      ctx.set('X-Export-Count', String(file.count));
      ctx.body = body;
      file.write(body).catch((error: unknown) => body.destroy(error instanceof Error ? error : new Error(String(error))));
    },
  }),
  route({ method: 'get', path: '/api/customers/stats', tag: 'customers', summary: 'Customer counts per store in your scope', permission: 'customer:read', response: customerStats, readReplica: true, handler: ({ actor }) => customers.stats(actor) }),
  route({
    method: 'get',
    path: '/api/customers/segments',
    tag: 'customers',
    summary: 'Saved customer segments: yours and the shared ones',
    permission: 'customer:read',
    response: segment.array(),
    handler: ({ actor }) => customers.segments.list(actor),
  }),
  route({
    method: 'post',
    path: '/api/customers/segments',
    tag: 'customers',
    summary: 'Save a customer filter as a segment',
    permission: 'customer:read',
    body: segmentBody,
    response: segment,
    handler: ({ actor, body }) => customers.segments.create(actor, body),
  }),
  route({
    method: 'patch',
    path: '/api/customers/segments/:id',
    tag: 'customers',
    summary: 'Rename, refilter or (un)share one of your segments',
    permission: 'customer:read',
    params: idParams,
    body: segmentPatch,
    response: segment,
    handler: ({ actor, params, body }) => customers.segments.update(actor, params.id, body),
  }),
  route({
    method: 'delete',
    path: '/api/customers/segments/:id',
    tag: 'customers',
    summary: 'Delete one of your segments',
    permission: 'customer:read',
    params: idParams,
    handler: ({ actor, params }) => customers.segments.remove(actor, params.id),
  }),
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
