import type { Services } from '../../../app';
import { conflict, notFound } from '../../../core/errors';
import { maskSecret } from '../../settings/settings.service';
import { createRuleEvaluator } from './rule-evaluator';
import { createRuleFollowUps, type MassMessageRecipients } from './rule-follow-ups';
import { firingNoteOf, parseOutcomes } from './rule-outcomes';
import { checkRuleRefs } from './rule-refs';
import { presentRule, ruleColumnsOf, ruleOf } from './rule-row';
import { isEventTrigger, type RuleBody, type RulePatch } from './rule.schemas';

type Deps = Pick<Services, 'db' | 'models' | 'audit' | 'queue' | 'cipher' | 'kv' | 'config'> & { phone: Services['pii']['phone']; massMessages?: MassMessageRecipients };

/** Scheduled runs are audited as the automation itself. */
const AUTOMATION = { id: null, name: 'automation' };
const FIRINGS_SHOWN = 200;

/** What the audit trail keeps of a rule: everything but the webhook secret, which shows masked. */
const auditView = (input: Partial<RuleBody>) => ({ ...input, ...(input.webhookSecret !== undefined && { webhookSecret: maskSecret(input.webhookSecret) }) });

/** Automation rules (自动化规则): CRUD, dry run, a run on demand and the scheduled run of every enabled rule. */
export function createRuleService(deps: Deps) {
  const { db, models, audit, cipher } = deps;
  const evaluator = createRuleEvaluator({ ...deps, followUps: createRuleFollowUps(deps) });
  const present = (row: Parameters<typeof presentRule>[0]) => presentRule(row, cipher);

  async function load(id: number) {
    const row = await models.EngagementRule.findByPk(id, { raw: true });
    if (!row) throw notFound('automation rule', id);
    return row;
  }

  return {
    /** Also fires event rules (see rule-events). */
    evaluator,
    async list() {
      return (await models.EngagementRule.findAll({ order: [['id', 'DESC']], raw: true })).map(present);
    },
    async get(id: number) {
      return present(await load(id));
    },
    async create(input: RuleBody) {
      await checkRuleRefs(models, input, { hasSecret: Boolean(input.webhookSecret), allowInternal: deps.config.WEBHOOK_ALLOW_INTERNAL });
      const id = await db.transaction(async (tx) => {
        const created = await models.EngagementRule.create({ ...ruleColumnsOf(input), webhook_secret: input.webhookSecret ? cipher.encrypt(input.webhookSecret) : null }, { transaction: tx });
        const ruleId = Number(created.get('id'));
        await audit.record({ action: 'engagement.rule_created', targetType: 'engagement_rule', targetId: ruleId, after: auditView(input) }, tx);
        return ruleId;
      });
      return present(await load(id));
    },
    async update(id: number, patch: RulePatch) {
      const row = await load(id);
      const before = ruleOf(row);
      const next: RuleBody = { ...before, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) } as RuleBody;
      if (patch.actions || patch.trigger) await checkRuleRefs(models, next, { hasSecret: Boolean(patch.webhookSecret ?? row.webhook_secret), allowInternal: deps.config.WEBHOOK_ALLOW_INTERNAL });
      await db.transaction(async (tx) => {
        await models.EngagementRule.update({ ...ruleColumnsOf(next), ...(patch.webhookSecret && { webhook_secret: cipher.encrypt(patch.webhookSecret) }) }, { where: { id }, transaction: tx });
        await audit.record({ action: 'engagement.rule_updated', targetType: 'engagement_rule', targetId: id, before: { ...before }, after: auditView(patch) }, tx);
      });
      return present(await load(id));
    },
    async remove(id: number) {
      const before = ruleOf(await load(id));
      await db.transaction(async (tx) => {
        await models.EngagementRule.destroy({ where: { id }, transaction: tx });
        await audit.record({ action: 'engagement.rule_deleted', targetType: 'engagement_rule', targetId: id, before: { name: before.name } }, tx);
      });
    },
    /** A dry run of a saved rule (skipping customers it already fired for this period) or of an unsaved draft. */
    async dryRun(target: number | RuleBody) {
      return evaluator.dryRun(typeof target === 'number' ? ruleOf(await load(target)) : { ...target, id: 0 });
    },
    async runNow(id: number) {
      const rule = ruleOf(await load(id));
      if (isEventTrigger(rule.trigger)) throw conflict(`rule ${id} fires on ${rule.trigger.type} events, not on demand`, [{ path: 'params.id', message: 'an event rule cannot be run now' }]);
      return evaluator.run(rule);
    },
    async firings(id: number) {
      await load(id);
      const rows = await models.EngagementRuleFiring.findAll({ where: { rule_id: id }, order: [['id', 'DESC']], limit: FIRINGS_SHOWN, raw: true });
      const names = new Map((await models.Customer.findAll({ where: { id: rows.map((r) => r.customer_id) }, attributes: ['id', 'name'], raw: true })).map((c) => [Number(c.id), c.name]));
      return rows.map((r) => {
        const outcomes = parseOutcomes(r.outcomes);
        return { id: Number(r.id), customerId: Number(r.customer_id), customerName: names.get(Number(r.customer_id)) ?? null, periodKey: r.period_key, status: r.status, note: r.error ?? firingNoteOf(outcomes), outcomes, firedAt: new Date(r.fired_at).toISOString() };
      });
    },
    /** Every enabled scheduled rule, one after another (each is a few set-based statements); event rules fire on their events. */
    async runScheduled(now = new Date()) {
      const rows = await models.EngagementRule.findAll({ where: { enabled: true }, order: [['id', 'ASC']], raw: true });
      const results = [];
      for (const rule of rows.map(ruleOf).filter((r) => !isEventTrigger(r.trigger))) results.push({ ruleId: rule.id, ...(await evaluator.run(rule, now, AUTOMATION)) });
      return results;
    },
  };
}

export type RuleService = ReturnType<typeof createRuleService>;
