import { z } from 'zod';
import type { EventMap, EventName } from '@scrm/plugin-sdk';
import type { Models } from '../../../core/db/models';
import type { JobQueue } from '../../../core/jobs/job-queue';
import type { Logger } from '../../../core/logger';
import type { Outbox } from '../../plugins/outbox';
import type { RuleEvaluator } from './rule-evaluator';
import { ruleOf } from './rule-row';
import { triggerSummary } from './rule-trigger-summary';
import type { RuleTrigger, TriggerType } from './rule.schemas';

export const RULE_EVENT_JOB = 'engagement.rules.event';

/** What an event means to the rules: whose it is, which trigger it is, and whether a rule's trigger options match it. */
interface TriggerFact {
  type: TriggerType;
  customerId: number;
  matches(trigger: RuleTrigger): boolean;
  detail?: string;
}

const any = () => true;

/** The domain events event rules fire on, each mapped to the trigger it stands for. */
const facts: { [K in EventName]?: (payload: EventMap[K], models: Models) => Promise<TriggerFact | null> } = {
  'customer.created': async (p) => ({ type: 'customer_added', customerId: p.customerId, matches: any }),
  'customer.tagged': async (p, models) => {
    if (!p.addedTagIds.length) return null;
    const tags = await models.Tag.findAll({ where: { id: p.addedTagIds }, attributes: ['name'], raw: true });
    return { type: 'tag_added', customerId: p.customerId, matches: (t) => t.type === 'tag_added' && (t.tagId === undefined || p.addedTagIds.includes(t.tagId)), detail: tags.map((t) => t.name).join('、') };
  },
  'customer.stageChanged': async (p) => ({ type: 'stage_changed', customerId: p.customerId, matches: (t) => t.type === 'stage_changed' && (t.stage === undefined || t.stage === p.to), detail: `${p.from} → ${p.to}` }),
  'order.created': async (p) => (p.customerId === null ? null : { type: 'order_created', customerId: p.customerId, matches: any, detail: p.order.platformOrderId }),
  'order.refunded': async (p) => (p.customerId === null ? null : { type: 'order_refunded', customerId: p.customerId, matches: any, detail: p.order.platformOrderId }),
  'workOrder.completed': async (p, models) => {
    const order = await models.WorkOrder.findByPk(p.workOrderId, { attributes: ['customer_id'], raw: true });
    return order?.customer_id ? { type: 'work_order_completed', customerId: Number(order.customer_id), matches: any, detail: p.orderNo } : null;
  },
};

export const ruleEventNames = Object.keys(facts) as EventName[];

/**
 * Event rules: the outbox hands each domain event to a job after its change commits (at least
 * once); the job fires every enabled rule with that trigger for the event's customer. The firing's
 * unique (rule, customer, period) key makes a repeated delivery fire nothing twice.
 */
export function registerRuleEvents(deps: { models: Models; queue: JobQueue; outbox: Pick<Outbox, 'subscribe'>; evaluator: RuleEvaluator; log: Logger }): void {
  const { models, queue, evaluator } = deps;

  queue.register({
    type: RULE_EVENT_JOB,
    payload: z.object({ eventId: z.number().int() }),
    async handle({ eventId }) {
      const event = await models.OutboxEvent.findByPk(eventId, { raw: true });
      const toFact = event && (facts[event.event as EventName] as ((payload: unknown, m: Models) => Promise<TriggerFact | null>) | undefined);
      if (!event || !toFact) return;
      const fact = await toFact(JSON.parse(event.payload), models);
      if (!fact) return;
      const rows = await models.EngagementRule.findAll({ where: { enabled: true, trigger_type: fact.type }, order: [['id', 'ASC']], raw: true });
      for (const rule of rows.map(ruleOf).filter((r) => fact.matches(r.trigger))) {
        const fired = await evaluator.fireForCustomer(rule, fact.customerId, { eventId, summary: triggerSummary(rule.trigger, fact.detail) });
        deps.log.debug({ ruleId: rule.id, customerId: fact.customerId, eventId, fired }, 'event rule evaluated');
      }
    },
  });
  deps.outbox.subscribe(ruleEventNames, RULE_EVENT_JOB);
}
