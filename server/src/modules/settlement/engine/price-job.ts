import type { JobFacts, LineDraft, PayeeKind, RuleSetDefinition, SettlementRule } from '../settlement-rules';
import { createConditionEvaluator, type ConditionEvaluator } from './conditions';
import { amountRuleLine, baseFeeLines, splitLines, type RuleContext } from './rule-lines';

/** A published rule-set version in force on the job's completion date. */
export interface VersionInForce {
  versionId: number;
  ruleSetCode: string;
  payeeKind: PayeeKind;
  definition: RuleSetDefinition;
}

export type PricedLine = LineDraft & { ruleSetVersionId: number };

export interface JobPricer {
  /**
   * The job's lines under the given versions: versions in the order given, then rules in document
   * order, then service items in job order. Tiered rebates are left to the period close.
   */
  price(facts: JobFacts, versions: VersionInForce[]): Promise<PricedLine[]>;
}

function ruleLines(rule: SettlementRule, context: RuleContext, facts: JobFacts): PricedLine[] {
  switch (rule.kind) {
    case 'base_fee':
      return baseFeeLines(rule, context, facts);
    case 'surcharge':
    case 'bonus':
    case 'deduction':
    case 'subsidy': {
      const line = amountRuleLine(rule, context, facts);
      return line ? [line] : [];
    }
    case 'split':
      return splitLines(rule, context, facts);
    case 'tiered_rebate':
      return [];
    default:
      return assertUnreachable(rule);
  }
}

function assertUnreachable(value: never): never {
  throw new Error(`unknown rule kind ${JSON.stringify(value)}`);
}

/**
 * Prices single jobs. Pure: the same facts and versions always give the same lines. Share one
 * pricer (and so one condition cache) across a whole period computation.
 */
export function createJobPricer(options: { evaluator?: ConditionEvaluator } = {}): JobPricer {
  const evaluator = options.evaluator ?? createConditionEvaluator();
  return {
    async price(facts, versions) {
      const priced: PricedLine[] = [];
      for (const version of versions) {
        for (const rule of version.definition.rules) {
          if (rule.kind === 'tiered_rebate') continue;
          if (rule.condition) {
            // Cached outcomes come back synchronously: only a cache miss waits for the rules engine.
            const outcome = evaluator.outcome(rule.condition, facts);
            if (!(typeof outcome === 'boolean' ? outcome : await outcome)) continue;
          }
          const context: RuleContext = { payeeKind: version.payeeKind, ruleSetVersionId: version.versionId, conditionFacts: rule.condition ? evaluator.factsRead(rule.condition, facts) : undefined };
          for (const line of ruleLines(rule, context, facts)) priced.push(line);
        }
      }
      return priced;
    },
  };
}
