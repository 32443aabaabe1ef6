import type { JobFacts, PayeeKind, SettlementRule } from '../settlement-rules';
import { allocateLargestRemainder, dividesEvenly } from './allocate';
import { channelName, equalsSign, quantityText } from './formula';
import { FenSum } from './fen-sum';
import { formatPercent, formatSignedYuan, formatYuan } from './money';
import type { PricedLine } from './price-job';
import { hoursOf, quantityNumber, unitsOf } from './unit-facts';

type RuleOf<K extends SettlementRule['kind']> = Extract<SettlementRule, { kind: K }>;
export type BaseFeeRule = RuleOf<'base_fee'>;
export type AmountRule = RuleOf<'surcharge' | 'bonus' | 'deduction' | 'subsidy'>;
export type SplitRule = RuleOf<'split'>;

/** What every line of one rule shares: who is paid, the version, and the facts its condition read. */
export interface RuleContext {
  payeeKind: PayeeKind;
  ruleSetVersionId: number;
  conditionFacts: Record<string, unknown> | undefined;
}

/** Lines are built in one place with one shape (which also keeps pricing fast). */
function line(rule: SettlementRule, context: RuleContext, payeeKind: PayeeKind, amountFen: number, formula: string, factsUsed: Record<string, unknown>): PricedLine {
  return { payeeKind, ruleKey: rule.key, ruleKind: rule.kind, amountFen, formula, factsUsed, rounding: 'HALF_UP', ruleSetVersionId: context.ruleSetVersionId };
}

/** A fresh factsUsed holding the condition's facts first. */
const usedFacts = (context: RuleContext): Record<string, unknown> => (context.conditionFacts ? Object.assign({}, context.conditionFacts) : {});

type RateRow = BaseFeeRule['rateCard'][number];
interface RateEntry {
  generic: RateRow | undefined;
  byTier: Map<string, RateRow>;
}

const rateCards = new WeakMap<BaseFeeRule, Map<string, RateEntry>>();

/** The rate card indexed by service item (built once per rule object). */
function rateCardOf(rule: BaseFeeRule): Map<string, RateEntry> {
  let card = rateCards.get(rule);
  if (card) return card;
  card = new Map();
  for (const row of rule.rateCard) {
    const entry = card.get(row.serviceItem) ?? { generic: undefined, byTier: new Map() };
    if (row.regionTier === undefined) entry.generic ??= row;
    else if (!entry.byTier.has(row.regionTier)) entry.byTier.set(row.regionTier, row);
    card.set(row.serviceItem, entry);
  }
  rateCards.set(rule, card);
  return card;
}

/** One line per service item of the job on the rate card; a row for the job's region tier beats the generic row. */
export function baseFeeLines(rule: BaseFeeRule, context: RuleContext, facts: JobFacts): PricedLine[] {
  const card = rateCardOf(rule);
  const tier = facts.region.tier;
  const lines: PricedLine[] = [];
  for (const item of facts.serviceItems) {
    const entry = card.get(item.code);
    if (!entry) continue;
    const tierRow = tier === null ? undefined : entry.byTier.get(tier);
    const row = tierRow ?? entry.generic;
    if (!row) continue;
    const { fen: amountFen, exact } = new FenSum().addProduct(row.amountFen, item.quantity).round();
    if (amountFen === 0) continue;
    const label = tierRow ? `${item.name}（区域等级 ${tier}）` : item.name;
    const factsUsed = usedFacts(context);
    factsUsed[`serviceItems.${item.code}`] = item.quantity;
    if (entry.byTier.size > 0) factsUsed['region.tier'] = tier;
    const formula = `${label} ${formatYuan(row.amountFen)} × ${quantityText(item.quantity)} ${equalsSign(exact)} ${formatYuan(amountFen)}`;
    lines.push(line(rule, context, context.payeeKind, amountFen, formula, factsUsed));
  }
  return lines;
}

/**
 * fixedFen + perUnitFen × units + perHourFen × hours + percentOfOrderBp of the order amount, summed
 * exactly and rounded HALF_UP once; negative for a deduction. Null when it comes to zero.
 */
export function amountRuleLine(rule: AmountRule, context: RuleContext, facts: JobFacts): PricedLine | null {
  const { fixedFen, perUnitFen, unitFact, perHourFen, percentOfOrderBp } = rule.amount;
  const sum = new FenSum();
  const parts: string[] = [];
  const factsUsed = usedFacts(context);
  if (fixedFen) {
    sum.addProduct(fixedFen, 1);
    parts.push(formatYuan(fixedFen));
  }
  if (perUnitFen !== undefined && unitFact !== undefined) {
    const units = unitsOf(unitFact, facts);
    sum.addProduct(perUnitFen, units);
    parts.push(`${formatYuan(perUnitFen)} × ${quantityText(units)}`);
    factsUsed[unitFact] = quantityNumber(units);
  }
  if (perHourFen !== undefined) {
    const hours = hoursOf(facts);
    sum.addProduct(perHourFen, hours);
    parts.push(`${formatYuan(perHourFen)} × ${quantityText(hours)}小时`);
    factsUsed.hours = facts.hours;
  }
  if (percentOfOrderBp !== undefined) {
    sum.addBasisPoints(facts.order.amountFen, percentOfOrderBp);
    parts.push(`订单 ${formatYuan(facts.order.amountFen)} × ${formatPercent(percentOfOrderBp)}`);
    factsUsed['order.amountFen'] = facts.order.amountFen;
  }
  if (rule.kind === 'deduction') sum.negate();
  const { fen: amountFen, exact } = sum.round();
  if (amountFen === 0) return null;
  const onlyFixed = parts.length === 1 && !!fixedFen;
  const formula = onlyFixed
    ? `${rule.name} ${formatSignedYuan(amountFen)}`
    : `${rule.name} ${rule.kind === 'deduction' ? `-(${parts.join(' + ')})` : parts.join(' + ')} ${equalsSign(exact)} ${formatSignedYuan(amountFen)}`;
  return line(rule, context, context.payeeKind, amountFen, formula, factsUsed);
}

/** The order amount split among the channel's shares (the default shares for an unlisted source), one line per share. */
export function splitLines(rule: SplitRule, context: RuleContext, facts: JobFacts): PricedLine[] {
  const listed = Object.prototype.hasOwnProperty.call(rule.channels, facts.source);
  const shares = listed ? (rule.channels[facts.source] as SplitRule['defaultShares']) : rule.defaultShares;
  const orderFen = facts.order.amountFen;
  const parts = allocateLargestRemainder(orderFen, shares.map((s) => ({ key: s.payee, weight: s.weight })));
  const weightSum = shares.reduce((sum, s) => sum + s.weight, 0);
  const channel = listed ? channelName(facts.source) : `默认（${channelName(facts.source)}）`;
  const lines: PricedLine[] = [];
  for (const share of shares) {
    const amountFen = parts[share.payee] ?? 0;
    if (amountFen === 0) continue;
    // The part is exact when the order amount divides evenly; otherwise it carries a rounding remainder.
    const exact = dividesEvenly(orderFen, share.weight, weightSum);
    const formula = `${rule.name}·${channel} ${formatYuan(orderFen)} × ${share.weight}/${weightSum} ${equalsSign(exact)} ${formatYuan(amountFen)}`;
    const factsUsed = usedFacts(context);
    factsUsed.source = facts.source;
    factsUsed['order.amountFen'] = orderFen;
    lines.push(line(rule, context, share.payee, amountFen, formula, factsUsed));
  }
  return lines;
}
