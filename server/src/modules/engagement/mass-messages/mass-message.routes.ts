import { route } from '../../../core/http/define-route';
import { idParams } from '../../../core/http/pagination';
import type { MassMessages } from './mass-message.module';
import * as schemas from './mass-message.schemas';

const tag = 'engagement';
const base = '/api/engagement/mass-messages';

/** Mass messages (群发消息). */
export const massMessageRoutes = (massMessages: MassMessages) => [
  route({ method: 'get', path: base, tag, summary: 'Mass messages in your scope, newest first', permission: 'engagement:read', query: schemas.listQuery, response: schemas.massMessagePage, handler: ({ actor, query }) => massMessages.list(actor, query) }),
  route({
    method: 'post',
    path: base,
    tag,
    summary: 'Create a mass message draft: audience (filter, tags or customers in your scope), text and attachments, an optional scheduled time',
    permission: 'engagement:manage',
    body: schemas.massMessageBody,
    response: schemas.massMessageView,
    handler: ({ actor, body }) => massMessages.create(actor, body),
  }),
  route({
    method: 'post',
    path: `${base}/preview`,
    tag,
    summary: 'How many customers an audience reaches now, and how many would be skipped and why',
    permission: 'engagement:manage',
    body: schemas.previewBody,
    response: schemas.previewView,
    handler: ({ actor, body }) => massMessages.preview(actor, body.audience),
  }),
  route({ method: 'get', path: `${base}/:id`, tag, summary: 'A mass message with its per-employee tasks and recipient counts', permission: 'engagement:read', params: idParams, response: schemas.massMessageView, handler: ({ actor, params }) => massMessages.get(actor, params.id) }),
  route({
    method: 'get',
    path: `${base}/:id/recipients`,
    tag,
    summary: 'The customers of a mass message with their status (or why they were skipped), paged',
    permission: 'engagement:read',
    params: idParams,
    query: schemas.recipientsQuery,
    response: schemas.recipientPage,
    handler: ({ actor, params, query }) => massMessages.recipients(actor, params.id, query),
  }),
  route({ method: 'post', path: `${base}/:id/send`, tag, summary: 'Send a draft now: one WeCom group-send task per owning employee', permission: 'engagement:manage', params: idParams, response: schemas.massMessageView, handler: ({ actor, params }) => massMessages.sendNow(actor, params.id) }),
  route({ method: 'post', path: `${base}/:id/cancel`, tag, summary: 'Cancel a draft (also a scheduled one)', permission: 'engagement:manage', params: idParams, response: schemas.massMessageView, handler: ({ actor, params }) => massMessages.cancel(actor, params.id) }),
  route({ method: 'post', path: `${base}/:id/refresh`, tag, summary: "Read the employees' send results from WeCom now", permission: 'engagement:read', params: idParams, response: schemas.massMessageView, handler: ({ actor, params }) => massMessages.refreshResults(actor, params.id) }),
];
