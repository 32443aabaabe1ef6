import { z } from 'zod';
import { route } from '../../../core/http/define-route';
import type { RuleService } from './rule.service';
import * as schemas from './rule.schemas';

const tag = 'engagement';
const params = schemas.ruleIdParams;

/** Automation rules (自动化规则). */
export const ruleRoutes = (rules: RuleService) => [
  route({ method: 'get', path: '/api/engagement/rules', tag, summary: 'Automation rules', permission: 'engagement:read', response: z.array(schemas.ruleView), handler: () => rules.list() }),
  route({ method: 'post', path: '/api/engagement/rules', tag, summary: 'Create an automation rule: a scheduled or event trigger, segment-style conditions, actions and a period', permission: 'engagement:manage', body: schemas.ruleBody, response: schemas.ruleView, handler: ({ body }) => rules.create(body) }),
  route({
    method: 'post',
    path: '/api/engagement/rules/dry-run',
    tag,
    summary: 'Dry run of an unsaved rule: how many customers it would fire for now, and a sample',
    permission: 'engagement:manage',
    body: schemas.ruleBody,
    response: schemas.dryRunView,
    handler: ({ body }) => rules.dryRun(body),
  }),
  route({ method: 'get', path: '/api/engagement/rules/:id', tag, summary: 'One automation rule', permission: 'engagement:read', params, response: schemas.ruleView, handler: ({ params: p }) => rules.get(p.id) }),
  route({ method: 'patch', path: '/api/engagement/rules/:id', tag, summary: 'Change an automation rule, or enable / disable it', permission: 'engagement:manage', params, body: schemas.rulePatch, response: schemas.ruleView, handler: ({ params: p, body }) => rules.update(p.id, body) }),
  route({ method: 'delete', path: '/api/engagement/rules/:id', tag, summary: 'Delete an automation rule and its firings', permission: 'engagement:manage', params, handler: ({ params: p }) => rules.remove(p.id) }),
  route({ method: 'post', path: '/api/engagement/rules/:id/dry-run', tag, summary: 'Dry run of a saved rule (customers already fired in this period are not counted)', permission: 'engagement:manage', params, response: schemas.dryRunView, handler: ({ params: p }) => rules.dryRun(p.id) }),
  route({ method: 'post', path: '/api/engagement/rules/:id/run', tag, summary: 'Run a scheduled rule now (at most once per customer per period, as the scheduled run); an event rule answers 409', permission: 'engagement:manage', params, response: schemas.runView, handler: ({ params: p }) => rules.runNow(p.id) }),
  route({ method: 'get', path: '/api/engagement/rules/:id/firings', tag, summary: 'The latest firings of a rule', permission: 'engagement:read', params, response: z.array(schemas.firingView), handler: ({ params: p }) => rules.firings(p.id) }),
];
