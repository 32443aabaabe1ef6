import { z } from 'zod';
import { customFieldKey } from '../../customers/customer.schemas';
import { segmentFilter } from '../../customers/customer-segments.schemas';

const id = z.number().int().positive();

/**
 * Scheduled triggers are evaluated by cron over every customer at once (set-based SQL); event
 * triggers fire for one customer when the domain event is delivered after its change commits.
 */
export const ruleTrigger = z.discriminatedUnion('type', [
  z.object({ type: z.literal('no_order_days'), days: z.number().int().min(1).max(3650).describe('no order placed in the last N days (customers added at least N days ago)') }),
  z.object({ type: z.literal('date_field'), field: customFieldKey.describe('custom field holding a date (YYYY-MM-DD); fires on its month and day, Asia/Shanghai') }),
  z.object({ type: z.literal('customer_added') }),
  z.object({ type: z.literal('tag_added'), tagId: id.optional().describe('only when this tag is added (any tag when absent)') }),
  z.object({ type: z.literal('stage_changed'), stage: z.string().trim().min(1).max(32).optional().describe('only when the customer moves to this stage code (any move when absent)') }),
  z.object({ type: z.literal('order_created') }),
  z.object({ type: z.literal('order_refunded') }),
  z.object({ type: z.literal('work_order_completed') }),
]);
export type RuleTrigger = z.infer<typeof ruleTrigger>;
export type TriggerType = RuleTrigger['type'];
export const scheduledTriggers = ['no_order_days', 'date_field'] as const satisfies readonly TriggerType[];
export const isEventTrigger = (trigger: RuleTrigger) => !(scheduledTriggers as readonly string[]).includes(trigger.type);

const tagIds = z.array(z.number().int().positive()).min(1).max(20);

export const ruleAction = z.discriminatedUnion('type', [
  z.object({ type: z.literal('add_tags'), tagIds }),
  z.object({ type: z.literal('remove_tags'), tagIds }),
  z.object({ type: z.literal('change_stage'), stage: z.string().trim().min(1).max(32) }),
  z.object({
    type: z.literal('create_task'),
    title: z.string().trim().min(1).max(128).describe("the follow-up task (跟进任务) for the customer's owning employee"),
    dueIn: z.number().int().min(1).max(720),
    dueUnit: z.enum(['hours', 'days']),
  }),
  z.object({ type: z.literal('issue_coupon'), couponCode: z.string().trim().min(1).max(64).describe('handed to the coupon.issue filter of the shop plugins'), reason: z.string().trim().max(128).optional() }),
  z.object({ type: z.literal('add_to_mass_message'), massMessageId: id.describe('a draft mass message (群发) the customer is added to') }),
  z.object({ type: z.literal('webhook'), url: z.string().trim().url().max(512).refine((u) => /^https?:\/\//i.test(u), 'must be an http or https URL').describe('receives a signed JSON POST (X-Scrm-Signature)') }),
]);
export type RuleAction = z.infer<typeof ruleAction>;

export const rulePeriod = z.enum(['day', 'week', 'month', 'year', 'once']).describe('a rule fires at most once per customer per period (Asia/Shanghai)');
export type RulePeriod = z.infer<typeof rulePeriod>;

export const ruleBody = z.object({
  name: z.string().trim().min(1).max(64),
  trigger: ruleTrigger,
  conditions: segmentFilter.default({}).describe('the customer list filter (as in segments) customers must also match'),
  actions: z.array(ruleAction).min(1).max(10),
  period: rulePeriod.default('month'),
  enabled: z.boolean().default(false),
  webhookSecret: z.string().min(16).max(128).optional().describe('signs the webhook actions (HMAC-SHA256); write-only, stored encrypted; needed once a rule has a webhook action'),
});
export type RuleBody = z.infer<typeof ruleBody>;
export const rulePatch = z.object({ ...ruleBody.shape, conditions: segmentFilter.optional(), period: rulePeriod.optional(), enabled: z.boolean().optional() }).partial();
export type RulePatch = z.infer<typeof rulePatch>;

export const ruleView = z.object({
  id: z.number().int(),
  name: z.string(),
  trigger: ruleTrigger,
  conditions: segmentFilter,
  actions: z.array(ruleAction),
  period: rulePeriod,
  enabled: z.boolean(),
  webhookSecret: z.string().nullable().describe('the webhook secret, masked'),
  lastRunAt: z.string().nullable(),
  createdAt: z.string(),
});

export const dryRunView = z.object({
  periodKey: z.string(),
  count: z.number().int().describe('customers the rule would fire for now (not yet fired in this period)'),
  sample: z.array(z.object({ id: z.number().int(), name: z.string(), stage: z.string() })),
  eventTrigger: z.boolean().describe('an event rule: the customers shown match the conditions now; the rule fires when their next event happens'),
});

export const runView = z.object({ periodKey: z.string(), fired: z.number().int(), ms: z.number().int() });

export const actionOutcome = z.object({ type: z.string(), status: z.enum(['done', 'pending', 'skipped', 'failed']), note: z.string().optional() });
export type ActionOutcome = z.infer<typeof actionOutcome>;

export const firingView = z.object({
  id: z.number().int(),
  customerId: z.number().int(),
  customerName: z.string().nullable(),
  periodKey: z.string(),
  status: z.string(),
  note: z.string().nullable(),
  outcomes: z.array(actionOutcome),
  firedAt: z.string(),
});

export const ruleIdParams = z.object({ id: z.coerce.number().int().positive() });
