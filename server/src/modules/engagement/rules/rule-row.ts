import type { FieldCipher } from '../../../core/crypto/field-cipher';
import { maskSecret } from '../../settings/settings.service';
import type { RuleRow } from '../engagement.models';
import type { EvaluatedRule } from './rule-evaluator';
import type { RuleAction, RuleBody } from './rule.schemas';

export type StoredRule = EvaluatedRule & { enabled: boolean; lastRunAt: Date | null; createdAt: Date };

/** A rule row as the evaluator and the service use it (JSON columns parsed). */
export const ruleOf = (row: RuleRow): StoredRule => ({
  id: Number(row.id),
  name: row.name,
  trigger: { type: row.trigger_type, ...JSON.parse(row.trigger_config) } as RuleBody['trigger'],
  conditions: JSON.parse(row.conditions) as RuleBody['conditions'],
  actions: JSON.parse(row.actions) as RuleAction[],
  period: row.period as RuleBody['period'],
  enabled: Boolean(row.enabled),
  lastRunAt: row.last_run_at,
  createdAt: row.created_at,
});

/** The API view of a rule: the webhook secret masked, times in ISO-8601 UTC. */
export const presentRule = (row: RuleRow, cipher: FieldCipher) => {
  const rule = ruleOf(row);
  return {
    ...rule,
    webhookSecret: row.webhook_secret ? maskSecret(cipher.decrypt(row.webhook_secret)) : null,
    lastRunAt: rule.lastRunAt ? new Date(rule.lastRunAt).toISOString() : null,
    createdAt: new Date(rule.createdAt).toISOString(),
  };
};

/** The columns of a rule (the secret is sealed separately: it is write-only). */
export const ruleColumnsOf = (input: Omit<RuleBody, 'webhookSecret'>) => {
  const { type, ...config } = input.trigger;
  return { name: input.name, trigger_type: type, trigger_config: JSON.stringify(config), conditions: JSON.stringify(input.conditions), actions: JSON.stringify(input.actions), period: input.period, enabled: input.enabled };
};
