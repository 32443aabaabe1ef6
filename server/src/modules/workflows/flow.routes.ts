import { z } from 'zod';
import { route } from '../../core/http/define-route';
import { idParams } from '../../core/http/pagination';
import { forbidden } from '../../core/errors';
import { can, type Actor } from '../access/actor';
import type { FlowService } from './flow.service';
import { createFlowBody, diffQuery, diffView, flowSummary, flowVersionParams, flowView, optionsView, problemView, publishBody, saveDraftBody, versionSummary, versionView } from './flow.schemas';

/** Published versions are read by whoever handles work orders, too. */
function requireVersionReader(actor: Actor): void {
  if (!can(actor, 'workflow:manage') && !can(actor, 'workorder:read')) throw forbidden('workflow:manage');
}

export const flowRoutes = (flows: FlowService) => [
  route({ method: 'get', path: '/api/flows', tag: 'workflows', summary: 'Flows with their draft and latest published version', permission: 'workflow:manage', response: z.array(flowSummary), handler: () => flows.list() }),
  route({ method: 'get', path: '/api/flows/options', tag: 'workflows', summary: 'What the flow editor offers: roles, calendars, automatic steps, order fields, operators', permission: 'workflow:manage', response: optionsView, handler: () => flows.options() }),
  route({ method: 'post', path: '/api/flows', tag: 'workflows', summary: 'Create a flow with a starter draft', permission: 'workflow:manage', body: createFlowBody, response: flowView, handler: ({ actor, body }) => flows.create(body, actor.userId) }),
  route({ method: 'get', path: '/api/flows/:id', tag: 'workflows', summary: 'A flow with its draft', permission: 'workflow:manage', params: idParams, response: flowView, handler: ({ params }) => flows.get(params.id) }),
  route({
    method: 'put',
    path: '/api/flows/:id/draft',
    tag: 'workflows',
    summary: 'Save the draft (refused with 409 when someone saved since `draftVersion`)',
    permission: 'workflow:manage',
    params: idParams,
    body: saveDraftBody,
    response: flowView,
    handler: ({ actor, params, body }) => flows.saveDraft(params.id, body, actor.userId),
  }),
  route({ method: 'post', path: '/api/flows/:id/check', tag: 'workflows', summary: 'Why the draft cannot be published (empty when it can)', permission: 'workflow:manage', params: idParams, response: z.array(problemView), handler: ({ params }) => flows.check(params.id) }),
  route({
    method: 'post',
    path: '/api/flows/:id/publish',
    tag: 'workflows',
    summary: 'Validate the draft and publish it as the next immutable version; errors point at the node',
    permission: 'workflow:manage',
    params: idParams,
    body: publishBody,
    response: versionView,
    handler: ({ actor, params, body }) => flows.publish(params.id, body.draftVersion, actor.userId),
  }),
  route({
    method: 'get',
    path: '/api/flows/:id/versions',
    tag: 'workflows',
    summary: 'Published versions, newest first, with the work orders on each',
    params: idParams,
    response: z.array(versionSummary),
    handler: ({ actor, params }) => {
      requireVersionReader(actor);
      return flows.versions(params.id);
    },
  }),
  route({
    method: 'get',
    path: '/api/flows/:id/diff',
    tag: 'workflows',
    summary: 'What changed between two versions: nodes and edges added, removed, changed',
    permission: 'workflow:manage',
    params: idParams,
    query: diffQuery,
    response: diffView,
    handler: ({ params, query }) => flows.diff(params.id, query.from, query.to),
  }),
  route({
    method: 'get',
    path: '/api/flows/:id/versions/:version',
    tag: 'workflows',
    summary: 'One published version with its flow document',
    params: flowVersionParams,
    response: versionView,
    handler: ({ actor, params }) => {
      requireVersionReader(actor);
      return flows.versionOf(params.id, params.version);
    },
  }),
  route({
    method: 'delete',
    path: '/api/flows/:id/versions/:version',
    tag: 'workflows',
    summary: 'Delete a published version no work order uses (409 otherwise)',
    permission: 'workflow:manage',
    params: flowVersionParams,
    handler: ({ params }) => flows.deleteVersion(params.id, params.version),
  }),
  route({
    method: 'get',
    path: '/api/flow-versions/:id',
    tag: 'workflows',
    summary: 'A published version by its id',
    params: idParams,
    response: versionView,
    handler: ({ actor, params }) => {
      requireVersionReader(actor);
      return flows.version(params.id);
    },
  }),
];
