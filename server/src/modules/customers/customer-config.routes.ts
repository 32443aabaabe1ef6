import { z } from 'zod';
import { route } from '../../core/http/define-route';
import { idParams } from '../../core/http/pagination';
import type { Customer360Module } from './customer-360.module';
import { fieldCreateBody, fieldDef, fieldPatchBody, orderBody, stage, stageCreateBody, stageDeleteQuery, stagePatchBody } from './customer-config.schemas';

/** Lifecycle stages and custom field definitions: everyone reads them, `customer:config` changes them. */
export const customerConfigRoutes = (m: Customer360Module) => [
  route({ method: 'get', path: '/api/customer-stages', tag: 'customer-config', summary: 'Lifecycle stages in order, with customer counts in your scope', permission: 'customer:read', response: z.array(stage), handler: ({ actor }) => m.stages.list(actor) }),
  route({ method: 'post', path: '/api/customer-stages', tag: 'customer-config', summary: 'Add a stage (at the end)', permission: 'customer:config', body: stageCreateBody, response: stage, handler: ({ actor, body }) => m.stages.create(actor, body) }),
  route({ method: 'put', path: '/api/customer-stages/order', tag: 'customer-config', summary: 'Reorder the stages: every stage id, in the new order', permission: 'customer:config', body: orderBody, response: z.array(stage), handler: ({ actor, body }) => m.stages.reorder(actor, body.ids) }),
  route({
    method: 'patch',
    path: '/api/customer-stages/:id',
    tag: 'customer-config',
    summary: "Rename a stage (its code stays: it is the stage's identity in the API)",
    permission: 'customer:config',
    params: idParams,
    body: stagePatchBody,
    response: stage,
    handler: ({ actor, params, body }) => m.stages.update(actor, params.id, body),
  }),
  route({
    method: 'delete',
    path: '/api/customer-stages/:id',
    tag: 'customer-config',
    summary: 'Delete a stage; one in use needs `replaceWith`, the stage its customers move to',
    permission: 'customer:config',
    params: idParams,
    query: stageDeleteQuery,
    response: z.object({ moved: z.number().int() }),
    handler: ({ params, query }) => m.stages.remove(params.id, query.replaceWith),
  }),
  route({ method: 'get', path: '/api/customer-fields', tag: 'customer-config', summary: 'Custom customer fields in order', permission: 'customer:read', response: z.array(fieldDef), handler: () => m.fields.list() }),
  route({ method: 'post', path: '/api/customer-fields', tag: 'customer-config', summary: 'Define a custom field', permission: 'customer:config', body: fieldCreateBody, response: fieldDef, handler: ({ body }) => m.fields.create(body) }),
  route({ method: 'put', path: '/api/customer-fields/order', tag: 'customer-config', summary: 'Reorder the custom fields: every field id, in the new order', permission: 'customer:config', body: orderBody, response: z.array(fieldDef), handler: ({ body }) => m.fields.reorder(body.ids) }),
  route({
    method: 'patch',
    path: '/api/customer-fields/:id',
    tag: 'customer-config',
    summary: 'Change a custom field (label, options, required; key and type stay)',
    permission: 'customer:config',
    params: idParams,
    body: fieldPatchBody,
    response: fieldDef,
    handler: ({ params, body }) => m.fields.update(params.id, body),
  }),
  route({ method: 'delete', path: '/api/customer-fields/:id', tag: 'customer-config', summary: 'Remove a custom field', permission: 'customer:config', params: idParams, handler: ({ params }) => m.fields.remove(params.id) }),
];
