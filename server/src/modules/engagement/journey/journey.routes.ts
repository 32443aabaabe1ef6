import { z } from 'zod';
import { route } from '../../../core/http/define-route';
import type { JourneyFunnel } from './journey-funnel.service';
import type { JourneyStageService } from './journey-stages.service';
import * as schemas from './journey.schemas';

const tag = 'engagement';
const base = '/api/engagement/journey';

/** Customer journey (客户旅程): its stages, the funnel and the customers at a step. */
export const journeyRoutes = ({ stages, funnel }: { stages: JourneyStageService; funnel: JourneyFunnel }) => [
  route({ method: 'get', path: `${base}/stages`, tag, summary: 'The journey stages, in order', permission: 'engagement:read', response: z.array(schemas.stageView), handler: () => stages.list() }),
  route({
    method: 'post',
    path: `${base}/stages`,
    tag,
    summary: 'Add a stage at the end of the journey (at most 8)',
    permission: 'engagement:manage',
    body: schemas.stageBody,
    response: schemas.stageView,
    handler: ({ body }) => stages.create(body),
  }),
  route({
    method: 'put',
    path: `${base}/stages/order`,
    tag,
    summary: 'Reorder the stages: every stage id, in the new order',
    permission: 'engagement:manage',
    body: schemas.reorderBody,
    response: z.array(schemas.stageView),
    handler: ({ body }) => stages.reorder(body.ids),
  }),
  route({
    method: 'patch',
    path: `${base}/stages/:id`,
    tag,
    summary: "Rename a stage or change its event",
    permission: 'engagement:manage',
    params: schemas.stageIdParams,
    body: schemas.stagePatch,
    response: schemas.stageView,
    handler: ({ params, body }) => stages.update(params.id, body),
  }),
  route({ method: 'delete', path: `${base}/stages/:id`, tag, summary: 'Remove a stage (a journey keeps at least 2)', permission: 'engagement:manage', params: schemas.stageIdParams, handler: ({ params }) => stages.remove(params.id) }),
  route({
    method: 'get',
    path: `${base}/funnel`,
    tag,
    summary: 'Customers added in the period reaching each stage, conversion and time per step, and the same per first channel',
    permission: 'engagement:read',
    query: schemas.funnelQuery,
    response: schemas.funnelView,
    readReplica: true,
    handler: ({ actor, query }) => funnel.funnel(actor, query),
  }),
  route({
    method: 'get',
    path: `${base}/customers`,
    tag,
    summary: 'The customers who reached (or dropped before) a step of the funnel, newest first',
    permission: 'engagement:read',
    query: schemas.stepCustomersQuery,
    response: schemas.stepCustomersPage,
    readReplica: true,
    handler: ({ actor, query }) => funnel.customersAtStep(actor, query),
  }),
];
