import { z } from 'zod';
import { route } from '../../core/http/define-route';
import * as schemas from './contact-ways/contact-way.schemas';
import type { EngagementModule } from './engagement.module';
import { massMessageRoutes } from './mass-messages/mass-message.routes';
import { journeyRoutes } from './journey/journey.routes';
import { followTaskRoutes } from './rules/follow-task.routes';
import { ruleRoutes } from './rules/rule.routes';

const tag = 'engagement';

export const engagementRoutes = ({ contactWays, reports, rules, tasks, journey, massMessages }: EngagementModule) => [
  ...massMessageRoutes(massMessages),
  ...ruleRoutes(rules),
  ...followTaskRoutes(tasks),
  ...journeyRoutes(journey),
  route({ method: 'get', path: '/api/engagement/contact-ways', tag, summary: 'Channel contact ways (渠道活码) in your scope', permission: 'engagement:read', response: z.array(schemas.contactWayView), handler: ({ actor }) => contactWays.list(actor) }),
  route({
    method: 'post',
    path: '/api/engagement/contact-ways',
    tag,
    summary: 'Create a contact way in WeCom (add_contact_way) with its schedule, backup staff, tags, store and welcome message',
    permission: 'engagement:manage',
    body: schemas.contactWayBody,
    response: schemas.contactWayView,
    handler: ({ actor, body }) => contactWays.create(actor, body),
  }),
  route({
    method: 'get',
    path: '/api/engagement/contact-ways/stats',
    tag,
    summary: 'Per channel: adds, losses, net adds, customers who ordered after adding, welcome outcomes',
    permission: 'engagement:read',
    query: schemas.statsQuery,
    response: z.array(schemas.channelStats),
    handler: ({ actor, query }) => reports.stats(actor, query),
  }),
  route({ method: 'get', path: '/api/engagement/contact-ways/:id', tag, summary: 'One contact way', permission: 'engagement:read', params: schemas.idParams, response: schemas.contactWayView, handler: ({ actor, params }) => contactWays.get(actor, params.id) }),
  route({
    method: 'patch',
    path: '/api/engagement/contact-ways/:id',
    tag,
    summary: 'Change a contact way (update_contact_way); the state cannot change',
    permission: 'engagement:manage',
    params: schemas.idParams,
    body: schemas.contactWayPatch,
    response: schemas.contactWayView,
    handler: ({ actor, params, body }) => contactWays.update(actor, params.id, body),
  }),
  route({ method: 'delete', path: '/api/engagement/contact-ways/:id', tag, summary: 'Delete a contact way in WeCom (del_contact_way); its statistics stay', permission: 'engagement:manage', params: schemas.idParams, handler: ({ actor, params }) => contactWays.remove(actor, params.id) }),
  route({
    method: 'get',
    path: '/api/engagement/contact-ways/:id/welcome-sends',
    tag,
    summary: 'The latest welcome messages of a contact way: sent, missed (window passed or WeCom 41051/41096) or failed',
    permission: 'engagement:read',
    params: schemas.idParams,
    response: z.array(schemas.welcomeSendView),
    handler: ({ actor, params }) => reports.welcomeSends(actor, params.id),
  }),
];
