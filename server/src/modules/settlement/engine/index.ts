/** The settlement pricing engine: pure functions from facts and rule sets to self-explaining lines. */
export { allocateLargestRemainder, type Share } from './allocate';
export { conditionOperators, createConditionEvaluator, operatorDecorators, ruleConditionIssue, ruleConditionProblem, type ConditionEvaluator, type ConditionEvaluatorOptions, type ConditionIssue } from './conditions';
export { createTextDigest, digestOf, lineText, type CanonicalLine, type TextDigest } from './line-hash';
export { formatSignedYuan, formatYuan, roundHalfUp } from './money';
export { rebateBaseOf, rebateLines, tierRebate, type PayeeTotal, type TieredRebateRule, type TierRebate } from './period-rebates';
export { createJobPricer, type JobPricer, type PricedLine, type VersionInForce } from './price-job';
export type { AmountRule, BaseFeeRule, SplitRule } from './rule-lines';
export { ruleSetProblems, type RuleSetProblem } from './rule-set-validation';
export { unitFactProblem } from './unit-facts';
