import { Engine, type TopLevelCondition } from 'json-rules-engine';
import { jobFactNames, type JobFactName, type JobFacts, type RuleCondition } from '../settlement-rules';
import { factLabel, parsePath, resolvePath, type PathStep } from './fact-paths';

/** json-rules-engine's built-in operators, and the decorators that may prefix them (`not:equal`, `someFact:greaterThan`). */
export const conditionOperators = ['equal', 'notEqual', 'in', 'notIn', 'contains', 'doesNotContain', 'lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive'] as const;
export const operatorDecorators = ['someFact', 'someValue', 'everyFact', 'everyValue', 'swap', 'not'] as const;

const factNames = new Set<string>(jobFactNames);
const operators = new Set<string>(conditionOperators);
const decorators = new Set<string>(operatorDecorators);
const numericOperators = new Set(['lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive']);
const listOperators = new Set(['in', 'notIn']);
/** Facts that are single values: a path into them means nothing. */
const scalarFacts = new Set<JobFactName>(['source', 'rating', 'complaints', 'lateMinutes', 'recycledUnits', 'hours']);
const maxDepth = 10;
const maxGroupSize = 50;

export interface ConditionIssue {
  path: string;
  message: string;
}

function leafIssue(v: Record<string, unknown>, at: string): ConditionIssue | null {
  const unknownKey = Object.keys(v).find((k) => !['fact', 'path', 'operator', 'value'].includes(k));
  if (unknownKey) return { path: `${at}.${unknownKey}`, message: 'not allowed in a condition (use fact, path, operator, value)' };
  if (typeof v.fact !== 'string' || !factNames.has(v.fact)) return { path: `${at}.fact`, message: `unknown fact ${JSON.stringify(v.fact)} (one of ${jobFactNames.join(', ')})` };
  if (v.path !== undefined) {
    if (typeof v.path !== 'string' || !parsePath(v.path)) return { path: `${at}.path`, message: 'must look like $.field, $.node.field or $[0].field' };
    if (scalarFacts.has(v.fact as JobFactName)) return { path: `${at}.path`, message: `fact "${v.fact}" is a single value: leave the path out` };
  }
  if (typeof v.operator !== 'string') return { path: `${at}.operator`, message: 'required' };
  const parts = v.operator.split(':');
  const base = parts.pop() as string;
  const unknownDecorator = parts.find((d) => !decorators.has(d));
  if (!operators.has(base) || unknownDecorator !== undefined) return { path: `${at}.operator`, message: `unknown operator "${v.operator}" (${conditionOperators.join(', ')}, optionally prefixed by ${operatorDecorators.map((d) => `${d}:`).join(', ')})` };
  if (!('value' in v) || v.value === undefined) return { path: `${at}.value`, message: 'required' };
  if (typeof v.value === 'object' && v.value !== null && !Array.isArray(v.value) && 'fact' in v.value) return { path: `${at}.value`, message: 'comparing with another fact is not supported: give a literal value' };
  if (parts.includes('swap')) return null;
  const valueIsList = parts.includes('someValue') || parts.includes('everyValue') || listOperators.has(base);
  if (valueIsList && !Array.isArray(v.value)) return { path: `${at}.value`, message: `operator ${v.operator} needs a list of values` };
  const numbers = valueIsList ? (v.value as unknown[]) : [v.value];
  if (numericOperators.has(base) && !numbers.every((n) => typeof n === 'number' && Number.isFinite(n))) return { path: `${at}.value`, message: `operator ${v.operator} compares numbers: give a number` };
  return null;
}

/** The first reason `value` is not a usable RuleCondition, pointing at the offending part. */
export function ruleConditionIssue(value: unknown, at: string, depth = 0): ConditionIssue | null {
  if (depth > maxDepth) return { path: at, message: `nested more than ${maxDepth} levels deep` };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { path: at, message: 'must be an object' };
  const v = value as Record<string, unknown>;
  const group = (['all', 'any', 'not'] as const).find((g) => g in v);
  if (!group) return leafIssue(v, at);
  if (Object.keys(v).length > 1) return { path: at, message: `a "${group}" group has no other keys` };
  if (group === 'not') return ruleConditionIssue(v.not, `${at}.not`, depth + 1);
  const items = v[group];
  if (!Array.isArray(items) || items.length === 0 || items.length > maxGroupSize) return { path: `${at}.${group}`, message: `1 to ${maxGroupSize} conditions` };
  for (const [i, item] of items.entries()) {
    const issue = ruleConditionIssue(item, `${at}.${group}[${i}]`, depth + 1);
    if (issue) return issue;
  }
  return null;
}

/** Why `value` is not a usable RuleCondition, as "path: message", or null. */
export function ruleConditionProblem(value: unknown, at: string): string | null {
  const issue = ruleConditionIssue(value, at);
  return issue ? `${issue.path}: ${issue.message}` : null;
}

interface FactRef {
  fact: JobFactName;
  path: string | undefined;
  steps: PathStep[] | null;
  label: string;
}

interface Compiled {
  refs: FactRef[];
  topLevel: TopLevelCondition;
  outcomes: Map<string, boolean>;
  /** An engine holding just this condition, not running right now (one engine must not run twice at once). */
  idleEngine: Engine | null;
}

function collectRefs(condition: RuleCondition, into: Map<string, FactRef>): void {
  if ('all' in condition) return condition.all.forEach((c) => collectRefs(c, into));
  if ('any' in condition) return condition.any.forEach((c) => collectRefs(c, into));
  if ('not' in condition) return collectRefs(condition.not, into);
  const label = factLabel(condition.fact, condition.path);
  if (!into.has(label)) into.set(label, { fact: condition.fact, path: condition.path, steps: condition.path ? parsePath(condition.path) : null, label });
}

/** What the rules engine sees for a reference: like json-rules-engine, a path only applies to an object value. */
function refValue(ref: FactRef, facts: JobFacts): unknown {
  const value: unknown = facts[ref.fact];
  return ref.steps && typeof value === 'object' && value !== null ? resolvePath(value, ref.steps) : value;
}

const encode = (value: unknown): string => (value === undefined ? 'u' : typeof value === 'number' ? String(value) : JSON.stringify(value));

const pathResolver = (value: object, path: string): unknown => {
  const steps = parsePath(path);
  if (!steps) throw new Error(`unsupported condition path ${path}`);
  return resolvePath(value, steps);
};

export interface ConditionEvaluator {
  holds(condition: RuleCondition, facts: JobFacts): Promise<boolean>;
  /** Like `holds`, but answers synchronously when the outcome is cached (the hot path of pricing). */
  outcome(condition: RuleCondition, facts: JobFacts): boolean | Promise<boolean>;
  /** The values the condition reads, keyed like `factsUsed` (`rating`, `form.install.high_altitude`); absent values as null. */
  factsRead(condition: RuleCondition, facts: JobFacts): Record<string, unknown>;
}

export interface ConditionEvaluatorOptions {
  /** Distinct outcomes cached per condition (bounds memory when a condition reads a fact with many values, such as the order amount). */
  maxOutcomesPerCondition?: number;
}

/**
 * Evaluates conditions with json-rules-engine, memoized: an outcome depends only on the values at
 * the fact paths the condition references, so it is cached per (condition, those values). The
 * engine only ever sees the referenced facts, which keeps that true by construction. Conditions are
 * recognised by identity first and by their JSON second, so re-parsed rule sets share the cache.
 * Conditions must have passed `ruleConditionProblem`.
 */
export function createConditionEvaluator(options: ConditionEvaluatorOptions = {}): ConditionEvaluator {
  const maxOutcomes = options.maxOutcomesPerCondition ?? 200_000;
  const byIdentity = new WeakMap<object, Compiled>();
  const byJson = new Map<string, Compiled>();

  const compile = (condition: RuleCondition): Compiled => {
    let compiled = byIdentity.get(condition);
    if (compiled) return compiled;
    const json = JSON.stringify(condition);
    compiled = byJson.get(json);
    if (!compiled) {
      const refs = new Map<string, FactRef>();
      collectRefs(condition, refs);
      const topLevel = ('all' in condition || 'any' in condition || 'not' in condition ? condition : { all: [condition] }) as unknown as TopLevelCondition;
      compiled = { refs: [...refs.values()], topLevel, outcomes: new Map(), idleEngine: null };
      byJson.set(json, compiled);
    }
    byIdentity.set(condition, compiled);
    return compiled;
  };

  const evaluate = async (compiled: Compiled, facts: JobFacts, key: string): Promise<boolean> => {
    let engine = compiled.idleEngine;
    compiled.idleEngine = null;
    if (!engine) {
      engine = new Engine([], { allowUndefinedFacts: true, pathResolver });
      engine.addRule({ conditions: compiled.topLevel, event: { type: 'holds' } });
    }
    const referenced: Record<string, unknown> = {};
    for (const ref of compiled.refs) referenced[ref.fact] = facts[ref.fact];
    const { events } = await engine.run(referenced);
    compiled.idleEngine = engine;
    const holds = events.length > 0;
    // A full cache keeps what it has: values seen early stay fast, new ones are evaluated each time.
    if (compiled.outcomes.size < maxOutcomes) compiled.outcomes.set(key, holds);
    return holds;
  };

  const outcome = (condition: RuleCondition, facts: JobFacts): boolean | Promise<boolean> => {
    const compiled = compile(condition);
    let key = '';
    for (const ref of compiled.refs) key += `${encode(refValue(ref, facts))},`;
    return compiled.outcomes.get(key) ?? evaluate(compiled, facts, key);
  };

  return {
    outcome,
    holds: async (condition, facts) => outcome(condition, facts),
    factsRead(condition, facts) {
      const read: Record<string, unknown> = {};
      for (const ref of compile(condition).refs) read[ref.label] = refValue(ref, facts) ?? null;
      return read;
    },
  };
}
