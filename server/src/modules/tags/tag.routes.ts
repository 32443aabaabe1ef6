import { z } from 'zod';
import type { Services } from '../../app';
import { route } from '../../core/http/define-route';
import { idParams } from '../../core/http/pagination';
import { createCustomerTagService } from './customer-tag.service';
import { syncRoutes } from './sync-run.routes';
import { createTagService } from './tag.service';
import { bulkJobView, bulkMarkBody, customerTagView, markBody, tagGroupBody, tagGroupView, tagNamesBody, tagPatchBody } from './tag.schemas';

export function tagRoutes(services: Services) {
  const tags = createTagService(services);
  const customerTags = createCustomerTagService(services);
  return [
    route({ method: 'get', path: '/api/tags', tag: 'tags', summary: 'Corp tag groups with their tags and customer counts (in your scope)', permission: 'customer:read', response: z.array(tagGroupView), handler: ({ actor }) => tags.list(actor) }),
    ...syncRoutes(services, 'tags', '/api/tags/sync', 'tags'),
    route({ method: 'post', path: '/api/tags/groups', tag: 'tags', summary: 'Create a tag group with its first tags (in WeCom, then here)', permission: 'customer:config', body: tagGroupBody, response: tagGroupView, handler: ({ body }) => tags.createGroup(body) }),
    route({ method: 'patch', path: '/api/tags/groups/:id', tag: 'tags', summary: 'Rename or reorder a tag group', permission: 'customer:config', params: idParams, body: tagPatchBody, response: tagGroupView, handler: ({ params, body }) => tags.updateGroup(params.id, body) }),
    route({ method: 'delete', path: '/api/tags/groups/:id', tag: 'tags', summary: 'Delete a tag group and its tags (customers lose them)', permission: 'customer:config', params: idParams, handler: ({ params }) => tags.removeGroup(params.id) }),
    route({ method: 'post', path: '/api/tags/groups/:id/tags', tag: 'tags', summary: 'Add tags to a group', permission: 'customer:config', params: idParams, body: tagNamesBody, response: tagGroupView, handler: ({ params, body }) => tags.addTagsToGroup(params.id, body.names) }),
    route({ method: 'patch', path: '/api/tags/:id', tag: 'tags', summary: 'Rename or reorder a tag', permission: 'customer:config', params: idParams, body: tagPatchBody, response: tagGroupView, handler: ({ params, body }) => tags.updateTag(params.id, body) }),
    route({ method: 'delete', path: '/api/tags/:id', tag: 'tags', summary: 'Delete a tag (customers lose it)', permission: 'customer:config', params: idParams, handler: ({ params }) => tags.removeTag(params.id) }),
    route({
      method: 'post',
      path: '/api/customers/tags/bulk',
      tag: 'tags',
      summary: 'Mark / unmark tags on many customers as a background job',
      permission: 'customer:write',
      body: bulkMarkBody,
      response: bulkJobView,
      handler: ({ actor, body }) => customerTags.startBulk(actor, body),
    }),
    route({ method: 'get', path: '/api/customers/tags/bulk/:id', tag: 'tags', summary: 'Progress and result of a bulk tag job', permission: 'customer:write', params: idParams, response: bulkJobView, handler: ({ actor, params }) => customerTags.bulkJob(actor, params.id) }),
    route({ method: 'get', path: '/api/customers/:id/tags', tag: 'tags', summary: "A customer's tags", permission: 'customer:read', params: idParams, response: z.array(customerTagView), handler: ({ actor, params }) => customerTags.tagsOf(actor, params.id) }),
    route({
      method: 'put',
      path: '/api/customers/:id/tags',
      tag: 'tags',
      summary: "Mark / unmark tags on a customer (WeCom mark_tag); answers with the customer's tags",
      permission: 'customer:write',
      params: idParams,
      body: markBody,
      response: z.array(customerTagView),
      handler: ({ actor, params, body }) => customerTags.mark(actor, params.id, body),
    }),
  ];
}
