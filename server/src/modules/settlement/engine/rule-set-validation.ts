import type { RuleSetDefinition, SettlementRule } from '../settlement-rules';
import { ruleConditionIssue } from './conditions';
import type { TieredRebateRule } from './period-rebates';
import type { BaseFeeRule, SplitRule } from './rule-lines';
import { unitFactProblem } from './unit-facts';

export interface RuleSetProblem {
  /** Where in the definition, e.g. `rules[2].condition.all[0].fact`. */
  path: string;
  message: string;
}

type Push = (path: string, message: string) => void;

function rateCardProblems(rule: BaseFeeRule, at: string, push: Push): void {
  const seen = new Map<string, number>();
  rule.rateCard.forEach((row, k) => {
    const key = JSON.stringify([row.serviceItem, row.regionTier ?? null]);
    const first = seen.get(key);
    if (first === undefined) seen.set(key, k);
    else push(`${at}.rateCard[${k}]`, `item "${row.serviceItem}"${row.regionTier ? ` for region tier "${row.regionTier}"` : ''} is already priced by rateCard[${first}]`);
  });
}

function tierProblems(rule: TieredRebateRule, at: string, push: Push): void {
  rule.tiers.forEach((tier, k) => {
    const here = `${at}.tiers[${k}]`;
    if (tier.to !== undefined && tier.to <= tier.from) push(`${here}.to`, `must be above from (${tier.from})`);
    if (tier.to === undefined && k < rule.tiers.length - 1) push(`${here}.to`, 'only the last tier may be open-ended');
    if (rule.basis === 'amount' && tier.perUnitFen !== undefined) push(`${here}.perUnitFen`, 'an amount basis pays a percentage (rateBp), not per unit');
    const previous = rule.tiers[k - 1];
    if (previous?.to !== undefined && tier.from !== previous.to) {
      push(`${here}.from`, tier.from < previous.to ? `overlaps the tier before (which ends at ${previous.to})` : `leaves a gap after the tier before (which ends at ${previous.to})`);
    }
  });
}

function shareProblems(shares: SplitRule['defaultShares'], at: string, push: Push): void {
  if (shares.length === 0) push(at, 'give at least one share');
  const seen = new Set<string>();
  shares.forEach((share, k) => {
    if (seen.has(share.payee)) push(`${at}[${k}].payee`, `payee kind "${share.payee}" is listed twice`);
    seen.add(share.payee);
  });
}

function kindProblems(rule: SettlementRule, at: string, push: Push): void {
  switch (rule.kind) {
    case 'base_fee':
      return rateCardProblems(rule, at, push);
    case 'tiered_rebate':
      return tierProblems(rule, at, push);
    case 'split':
      for (const [channel, shares] of Object.entries(rule.channels)) shareProblems(shares, `${at}.channels.${channel}`, push);
      return shareProblems(rule.defaultShares, `${at}.defaultShares`, push);
    default: {
      const problem = rule.amount.unitFact === undefined ? null : unitFactProblem(rule.amount.unitFact);
      if (problem) push(`${at}.amount.unitFact`, problem);
    }
  }
}

/**
 * Everything wrong with a (schema-valid) rule set that the schema cannot see: duplicate rule keys,
 * invalid conditions, misordered tiers, duplicate rate-card rows, empty or repeated split shares.
 */
export function ruleSetProblems(definition: RuleSetDefinition): RuleSetProblem[] {
  const problems: RuleSetProblem[] = [];
  const push: Push = (path, message) => problems.push({ path, message });
  const keys = new Map<string, number>();
  definition.rules.forEach((rule, i) => {
    const at = `rules[${i}]`;
    const first = keys.get(rule.key);
    if (first === undefined) keys.set(rule.key, i);
    else push(`${at}.key`, `rule key "${rule.key}" is already used by rules[${first}]`);
    if (rule.condition !== undefined) {
      const issue = ruleConditionIssue(rule.condition, `${at}.condition`);
      if (issue) problems.push(issue);
    }
    kindProblems(rule, at, push);
  });
  return problems;
}
