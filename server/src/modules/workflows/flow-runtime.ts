import { Engine, type TopLevelCondition } from 'json-rules-engine';
import type { FlowCondition, FlowNode } from './flow-definition';

export interface FlowFacts {
  order: Record<string, unknown>;
  form: Record<string, unknown>;
}

/** Operators a condition may use: json-rules-engine's built-in ones. */
export const conditionOperators = ['equal', 'notEqual', 'in', 'notIn', 'contains', 'doesNotContain', 'lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive'] as const;

const asTopLevel = (condition: FlowCondition): TopLevelCondition =>
  ('all' in condition || 'any' in condition || 'not' in condition ? condition : { all: [condition] }) as unknown as TopLevelCondition;

async function holds(condition: FlowCondition, facts: FlowFacts): Promise<boolean> {
  const engine = new Engine([], { allowUndefinedFacts: true });
  engine.addRule({ conditions: asTopLevel(condition), event: { type: 'holds' } });
  const { events } = await engine.run({ order: facts.order, form: facts.form });
  return events.length > 0;
}

/**
 * The node a completed node moves on to: its edges in ascending priority, the first whose condition
 * holds (an edge without a condition always holds), else the default edge. Null for an end node.
 * Exactly one edge is taken; a node where none applies is a flow that should not have been published.
 */
export async function chooseNextNode(node: FlowNode, facts: FlowFacts): Promise<string | null> {
  if (node.type === 'end' || node.edges.length === 0) return null;
  const ordered = [...node.edges].sort((a, b) => a.priority - b.priority);
  for (const edge of ordered) {
    if (edge.isDefault) continue;
    if (!edge.condition || (await holds(edge.condition, facts))) return edge.to;
  }
  const fallback = ordered.find((edge) => edge.isDefault);
  if (fallback) return fallback.to;
  throw new Error(`node ${node.key}: no edge applies and there is no default edge`);
}
