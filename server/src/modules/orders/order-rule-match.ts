import { Engine } from 'json-rules-engine';
import type { OrderItemLine } from './order-present';
import type { OrderRuleRow } from './order.models';
import type { RuleConditions, ServiceItemMapping } from './order.schemas';

/** The facts a rule's conditions may use (the rule editor's pickers list the same names). */
export interface OrderFacts {
  categories: string[];
  skus: string[];
  totalFen: number;
  paidFen: number;
  sourceChannel: string;
  platform: string;
  shopId: string;
  itemCount: number;
}

export const orderFacts = (order: { platform: string; shopId: string; sourceChannel: string; totalFen: number; paidFen: number; items: OrderItemLine[] }): OrderFacts => ({
  categories: [...new Set(order.items.map((i) => i.category).filter((c): c is string => Boolean(c)))],
  skus: order.items.map((i) => i.sku),
  totalFen: order.totalFen,
  paidFen: order.paidFen,
  sourceChannel: order.sourceChannel,
  platform: order.platform,
  shopId: order.shopId,
  itemCount: order.items.reduce((sum, i) => sum + i.quantity, 0),
});

/** Whether the facts meet the conditions; an empty `all` matches every order. */
export async function conditionsMatch(conditions: RuleConditions, facts: OrderFacts): Promise<boolean> {
  if ('all' in conditions && conditions.all.length === 0) return true;
  const engine = new Engine([], { allowUndefinedFacts: true });
  engine.addRule({ conditions, event: { type: 'match' } });
  const { events } = await engine.run({ ...facts });
  return events.length > 0;
}

/** The first enabled rule (by priority, then id) whose conditions the order meets. */
export async function firstMatchingRule(rules: OrderRuleRow[], facts: OrderFacts): Promise<OrderRuleRow | null> {
  const ordered = [...rules].filter((r) => r.enabled).sort((a, b) => a.priority - b.priority || Number(a.id) - Number(b.id));
  for (const rule of ordered) if (await conditionsMatch(JSON.parse(rule.conditions) as RuleConditions, facts)) return rule;
  return null;
}

/** The work order's service lines: each mapping once per matching item, with the item's quantity. */
export function serviceItemsFor(mappings: ServiceItemMapping[], items: OrderItemLine[]): Array<{ code?: string; name: string; quantity: number }> {
  const lines: Array<{ code?: string; name: string; quantity: number }> = [];
  for (const mapping of mappings) {
    const quantity = items.filter((i) => (!mapping.match.sku || i.sku === mapping.match.sku) && (!mapping.match.category || i.category === mapping.match.category)).reduce((sum, i) => sum + i.quantity, 0);
    if (quantity > 0) lines.push({ ...(mapping.code ? { code: mapping.code } : {}), name: mapping.name, quantity });
  }
  return lines;
}
