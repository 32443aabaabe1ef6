import { route } from '../../core/http/define-route';
import { pageOf, pageSchema, toOffset } from '../../core/http/pagination';
import type { Customer360Module } from './customer-360.module';
import { duplicateGroup, duplicatesQuery, mergeBody, mergeResult } from './customer-merge.schemas';

/** Duplicate proposals and merging. Declared before `/api/customers/:id` so their paths are not read as ids. */
export const customerMergeRoutes = (m: Customer360Module) => [
  route({
    method: 'get',
    path: '/api/customers/duplicates',
    tag: 'customers',
    summary: 'Groups of customers in your scope that share a unionid or a phone number, proposed for merging',
    permission: 'customer:read',
    query: duplicatesQuery,
    response: pageSchema(duplicateGroup),
    handler: async ({ actor, query }) => {
      const { items, total } = await m.duplicates.propose(actor, toOffset(query));
      return pageOf(items, total, query);
    },
  }),
  route({
    method: 'post',
    path: '/api/customers/merge',
    tag: 'customers',
    summary: 'Merge customers into one: follows, tags, notes, timeline, groups and custom fields move to keepId',
    permission: 'customer:merge',
    body: mergeBody,
    response: mergeResult,
    handler: ({ actor, body }) => m.merge.merge(actor, body),
  }),
];
