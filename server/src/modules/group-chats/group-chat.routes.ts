import { z } from 'zod';
import type { Services } from '../../app';
import { route } from '../../core/http/define-route';
import { idParams, pageOf, pageSchema, toOffset } from '../../core/http/pagination';
import { syncRoutes } from '../tags/sync-run.routes';
import { customerGroupView, groupChatDetailView, groupChatQuery, groupChatView } from './group-chat.schemas';
import { createGroupChatService } from './group-chat.service';

export function groupChatRoutes(services: Services) {
  const groupChats = createGroupChatService(services);
  return [
    route({
      method: 'get',
      path: '/api/group-chats',
      tag: 'group-chats',
      summary: 'Customer group chats in your scope; filter by owner, name, status or store',
      permission: 'customer:read',
      query: groupChatQuery,
      response: pageSchema(groupChatView),
      handler: async ({ actor, query }) => {
        const { items, total } = await groupChats.list(actor, query, toOffset(query));
        return pageOf(items, total, query);
      },
    }),
    // Before /:id, which would otherwise take "sync" for an id.
    ...syncRoutes(services, 'groups', '/api/group-chats/sync', 'group-chats'),
    route({ method: 'get', path: '/api/group-chats/:id', tag: 'group-chats', summary: 'One group chat with its members', permission: 'customer:read', params: idParams, response: groupChatDetailView, handler: ({ actor, params }) => groupChats.get(actor, params.id) }),
    route({
      method: 'get',
      path: '/api/customers/:id/group-chats',
      tag: 'group-chats',
      summary: 'The group chats a customer is in',
      permission: 'customer:read',
      params: idParams,
      response: z.array(customerGroupView),
      handler: ({ actor, params }) => groupChats.ofCustomer(actor, params.id),
    }),
  ];
}
