import { z } from 'zod';
import { route } from '../../core/http/define-route';
import { idParams, pageOf, pageQuery, pageSchema, toOffset } from '../../core/http/pagination';
import type { Customer360Module } from './customer-360.module';
import { customerDetail, externalParams, fieldsBody, note, noteBody, stageBody, storeBody, timelineEntry, timelineQuery } from './customer-360.schemas';

/** Customer 360: the detail, its timeline and notes, and changes to stage, custom fields and store. */
export const customerProfileRoutes = (m: Customer360Module) => [
  route({
    method: 'get',
    path: '/api/customers/by-external/:externalUserId',
    tag: 'customers',
    summary: 'The 360 detail of the customer WeCom knows by this external_userid (a merged one leads to the kept customer)',
    permission: 'customer:read',
    params: externalParams,
    response: customerDetail,
    handler: ({ actor, params }) => m.detail.byExternal(actor, params.externalUserId),
  }),
  route({
    method: 'get',
    path: '/api/customers/:id',
    tag: 'customers',
    summary: 'The 360 detail of one customer: profile, store, stage, custom fields, follow users, tags, groups and counts',
    permission: 'customer:read',
    params: idParams,
    response: customerDetail,
    handler: ({ actor, params }) => m.detail.get(actor, params.id),
  }),
  route({
    method: 'get',
    path: '/api/customers/:id/timeline',
    tag: 'customers',
    summary: "The customer's timeline, newest first; `kind` filters by prefix (e.g. `tag.`)",
    permission: 'customer:read',
    params: idParams,
    query: timelineQuery,
    response: pageSchema(timelineEntry),
    handler: async ({ actor, params, query }) => {
      const { items, total } = await m.history.page(actor, params.id, query, toOffset(query));
      return pageOf(items, total, query);
    },
  }),
  route({
    method: 'get',
    path: '/api/customers/:id/notes',
    tag: 'customers',
    summary: "The customer's follow-up notes, newest first",
    permission: 'customer:read',
    params: idParams,
    query: pageQuery,
    response: pageSchema(note),
    handler: async ({ actor, params, query }) => {
      const { items, total } = await m.notes.list(actor, params.id, toOffset(query));
      return pageOf(items, total, query);
    },
  }),
  route({
    method: 'post',
    path: '/api/customers/:id/notes',
    tag: 'customers',
    summary: 'Add a follow-up note',
    permission: 'customer:write',
    params: idParams,
    body: noteBody,
    response: note,
    handler: ({ actor, params, body }) => m.notes.add(actor, params.id, body.body),
  }),
  route({
    method: 'patch',
    path: '/api/customers/:id/stage',
    tag: 'customers',
    summary: 'Move the customer to another lifecycle stage',
    permission: 'customer:write',
    params: idParams,
    body: stageBody,
    response: z.object({ stage: z.string(), stageName: z.object({ 'zh-CN': z.string(), 'en-US': z.string() }) }),
    handler: ({ actor, params, body }) => m.stages.change(actor, params.id, body.stage),
  }),
  route({
    method: 'patch',
    path: '/api/customers/:id/fields',
    tag: 'customers',
    summary: 'Set custom field values (null or empty clears one), validated against the field definitions',
    permission: 'customer:write',
    params: idParams,
    body: fieldsBody,
    response: customerDetail.shape.customFields,
    handler: ({ actor, params, body }) => m.fields.setValues(actor, params.id, body.values),
  }),
  route({
    method: 'patch',
    path: '/api/customers/:id/store',
    tag: 'customers',
    summary: 'Reassign the customer to a store and lock it there; storeId null unlocks (the primary follow user decides again)',
    permission: 'customer:handover',
    params: idParams,
    body: storeBody,
    response: z.object({ storeId: z.number().int().nullable(), storeName: z.string().nullable(), storeLocked: z.boolean() }),
    handler: ({ actor, params, body }) => m.storeReassign.reassign(actor, params.id, body.storeId),
  }),
];
