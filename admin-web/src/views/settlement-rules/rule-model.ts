import type { FactInfo, RuleAmount, RuleCondition, SettlementRule, SettlementRuleKind } from '@/api/settlement';
import { formatFen, formatScaled } from '@/utils/money';

type Translate = (key: string, values?: Record<string, unknown>) => string;
type Leaf = Extract<RuleCondition, { fact: string }>;

/** A new rule of `kind`, keeping the key, name and condition of `from` when the kind changes. */
export function emptyRule(kind: SettlementRuleKind, from?: SettlementRule): SettlementRule {
  const base = { key: from?.key ?? '', name: from?.name ?? '', rounding: 'HALF_UP' as const, ...(from?.condition ? { condition: from.condition } : {}) };
  switch (kind) {
    case 'base_fee':
      return { ...base, kind, rateCard: [{ serviceItem: '', amountFen: 0 }] };
    case 'tiered_rebate':
      return { ...base, kind, basis: 'volume', mode: 'graduated', inclusive: 'lower', tiers: [{ from: 0, rateBp: 0 }] };
    case 'split':
      return { ...base, kind, channels: {}, defaultShares: [{ payee: 'store', weight: 100 }] };
    case 'surcharge':
    case 'bonus':
    case 'deduction':
    case 'subsidy':
      return { ...base, kind, amount: from && 'amount' in from ? from.amount : { fixedFen: 0 } };
  }
}

/** "¥20.00 + ¥10.00/recycledUnits + 2.00%" */
export function describeAmount(amount: RuleAmount, t: Translate): string {
  const parts: string[] = [];
  if (amount.fixedFen !== undefined) parts.push(formatFen(amount.fixedFen));
  if (amount.perUnitFen !== undefined) parts.push(`${formatFen(amount.perUnitFen)}/${amount.unitFact ?? '?'}`);
  if (amount.perHourFen !== undefined) parts.push(t('settlement.rules.perHourShort', { amount: formatFen(amount.perHourFen) }));
  if (amount.percentOfOrderBp !== undefined) parts.push(t('settlement.rules.percentShort', { percent: formatScaled(amount.percentOfOrderBp, 2) }));
  return parts.join(' + ');
}

/** One line saying what a rule pays. */
export function describeRule(rule: SettlementRule, t: Translate): string {
  switch (rule.kind) {
    case 'base_fee':
      return rule.rateCard.map((r) => `${r.serviceItem}${r.regionTier ? `@${r.regionTier}` : ''} ${formatFen(r.amountFen)}`).join('，');
    case 'tiered_rebate':
      return `${t(`settlement.rules.basis.${rule.basis}`)} · ${t(`settlement.rules.mode.${rule.mode}`)} · ${t('settlement.rules.tierCount', { count: rule.tiers.length })}`;
    case 'split':
      return [...Object.keys(rule.channels), t('settlement.rules.defaultChannel')].join(' / ');
    case 'deduction':
      return `-(${describeAmount(rule.amount, t)})`;
    case 'surcharge':
    case 'bonus':
    case 'subsidy':
      return describeAmount(rule.amount, t);
  }
}

const isLeaf = (c: RuleCondition): c is Leaf => 'fact' in c;

/** "rating ≥ 4 且 complaints = 0", with fact and path labels from the facts list. */
export function describeCondition(condition: RuleCondition | undefined, facts: FactInfo[], t: Translate, label: (text: FactInfo['label'] | string) => string): string {
  if (!condition) return '';
  if ('not' in condition) return `${t('settlement.condition.not')} (${describeCondition(condition.not, facts, t, label)})`;
  if (isLeaf(condition)) {
    const fact = facts.find((f) => f.name === condition.fact);
    const path = fact?.paths?.find((p) => p.path === condition.path);
    const name = path ? `${label(fact?.label ?? condition.fact)}.${label(path.label)}` : fact ? label(fact.label) : condition.fact;
    const value = Array.isArray(condition.value) ? condition.value.join('、') : String(condition.value);
    return `${name} ${t(`settlement.condition.operators.${condition.operator}`)} ${value}`;
  }
  const list = 'all' in condition ? condition.all : condition.any;
  const joiner = 'all' in condition ? t('settlement.condition.and') : t('settlement.condition.or');
  const parts = list.map((c) => describeCondition(c, facts, t, label)).filter(Boolean);
  return parts.length > 1 ? `(${parts.join(` ${joiner} `)})` : (parts[0] ?? '');
}

/**
 * Server validation details name paths like `definition.rules[2].condition.all[0].fact` or
 * `body.definition.rules.2.amount`: the messages grouped by rule index.
 */
export function problemsByRule(details: unknown): Map<number, string[]> {
  const out = new Map<number, string[]>();
  if (!Array.isArray(details)) return out;
  for (const d of details as Array<{ path?: string; message?: string }>) {
    const match = /rules(?:\[(\d+)\]|\.(\d+))(.*)$/.exec(d.path ?? '');
    if (!match) continue;
    const index = Number(match[1] ?? match[2]);
    const where = (match[3] ?? '').replace(/^\./, '');
    out.set(index, [...(out.get(index) ?? []), where ? `${where}: ${d.message ?? ''}` : (d.message ?? '')]);
  }
  return out;
}

/** True when some number in the rule is NaN: an amount input holds text that is not an amount. */
export function hasInvalidNumber(value: unknown): boolean {
  if (typeof value === 'number') return Number.isNaN(value);
  if (Array.isArray(value)) return value.some(hasInvalidNumber);
  if (value && typeof value === 'object') return Object.values(value).some(hasInvalidNumber);
  return false;
}
