import type { JobFacts, PayeeKind, SettlementRule } from '../settlement-rules';
import { equalsSign } from './formula';
import { Dec, formatPercent, formatYuan, roundHalfUp } from './money';
import type { PricedLine, VersionInForce } from './price-job';

export type TieredRebateRule = Extract<SettlementRule, { kind: 'tiered_rebate' }>;
type Tier = TieredRebateRule['tiers'][number];

export interface TierRebate {
  /** Rounded HALF_UP once. */
  amountFen: number;
  exact: Dec;
  /** The summands, for the formula: "15000.00 × 100/150 × 2%". */
  terms: string[];
  /** Volume mode: the tier the total falls in (null when none); graduated: null. */
  tierIndex: number | null;
}

/** In volume mode, the tier holding `total`; `inclusive` says which tier a boundary value belongs to. */
function tierHolding(rule: TieredRebateRule, total: number): number | null {
  const index = rule.tiers.findIndex((t) => {
    const to = t.to ?? Infinity;
    return rule.inclusive === 'lower' ? t.from <= total && total < to : t.from < total && total <= to;
  });
  return index < 0 ? null : index;
}

/**
 * The rebate on a payee's period total (`total` in units for a volume basis, in fen for an amount
 * basis; `amountFen` is the amount the percentages apply to).
 *
 * - graduated: each slice of the total earns its own tier's rate. Slices are lengths
 *   (min(total, to) − from), so a total on a boundary earns the same whichever bound is inclusive.
 * - volume: the whole total earns the rate of the tier it falls in; here `inclusive` decides whether
 *   a total equal to a boundary takes the lower or the upper tier's rate.
 *
 * `rateBp` applies to the amount: on an amount basis to the amount slice itself; on a volume basis to
 * `amountFen` × (units in the tier / total units), i.e. each unit carries the average amount.
 * `perUnitFen` pays per unit in the tier (volume basis only; rule-set validation rejects it on an
 * amount basis, where it is ignored).
 */
export function tierRebate(rule: TieredRebateRule, total: number, amountFen: number): TierRebate {
  const none: TierRebate = { amountFen: 0, exact: new Dec(0), terms: [], tierIndex: null };
  if (!(total > 0)) return none;
  const volumeBasis = rule.basis === 'volume';
  let exact = new Dec(0);
  const terms: string[] = [];
  const earn = (tier: Tier, measure: number, whole: boolean) => {
    if (tier.rateBp !== undefined && tier.rateBp > 0) {
      if (!volumeBasis) {
        exact = exact.plus(new Dec(measure).times(tier.rateBp).div(10_000));
        terms.push(`${formatYuan(measure)} × ${formatPercent(tier.rateBp)}`);
      } else {
        exact = exact.plus(new Dec(amountFen).times(measure).div(total).times(tier.rateBp).div(10_000));
        terms.push(whole ? `${formatYuan(amountFen)} × ${formatPercent(tier.rateBp)}` : `${formatYuan(amountFen)} × ${measure}/${total} × ${formatPercent(tier.rateBp)}`);
      }
    }
    if (volumeBasis && tier.perUnitFen !== undefined && tier.perUnitFen > 0) {
      exact = exact.plus(new Dec(measure).times(tier.perUnitFen));
      terms.push(`${measure} × ${formatYuan(tier.perUnitFen)}`);
    }
  };
  if (rule.mode === 'volume') {
    const tierIndex = tierHolding(rule, total);
    if (tierIndex === null) return none;
    earn(rule.tiers[tierIndex] as Tier, total, true);
    return { amountFen: roundHalfUp(exact), exact, terms, tierIndex };
  }
  for (const tier of rule.tiers) {
    const measure = Math.min(total, tier.to ?? Infinity) - tier.from;
    if (measure > 0) earn(tier, measure, false);
  }
  return { amountFen: roundHalfUp(exact), exact, terms, tierIndex: null };
}

export interface PayeeTotal {
  payeeKey: string;
  payeeKind: PayeeKind;
  /** Units counted (sum of service item quantities of the payee's matching jobs). */
  volume: number;
  /** The amount base in fen (sum of the order amounts). */
  amountFen: number;
}

const boundText = (rule: TieredRebateRule, value: number): string => (rule.basis === 'amount' ? formatYuan(value) : String(value));

function rebateFormula(rule: TieredRebateRule, total: PayeeTotal, rebate: TierRebate): string {
  const basis = rule.basis === 'volume' ? `按数量 ${total.volume}，金额 ${formatYuan(total.amountFen)}` : `按金额 ${formatYuan(total.amountFen)}`;
  const tier = rebate.tierIndex === null ? undefined : rule.tiers[rebate.tierIndex];
  const where = tier ? `，落在 ${boundText(rule, tier.from)}–${tier.to === undefined ? '∞' : boundText(rule, tier.to)} 档` : '';
  const mode = rule.mode === 'graduated' ? '累进' : '全额';
  return `${rule.name}（${mode}·${basis}${where}） ${rebate.terms.join(' + ')} ${equalsSign(rebate.exact.equals(rebate.amountFen))} ${formatYuan(rebate.amountFen)}`;
}

/** One rebate line per payee with a non-zero rebate, ordered by payee key. */
export function rebateLines(version: VersionInForce, rule: TieredRebateRule, totals: PayeeTotal[]): Array<PricedLine & { payeeKey: string }> {
  const ordered = [...totals].sort((a, b) => (a.payeeKey < b.payeeKey ? -1 : a.payeeKey > b.payeeKey ? 1 : 0));
  const lines: Array<PricedLine & { payeeKey: string }> = [];
  for (const total of ordered) {
    const rebate = tierRebate(rule, rule.basis === 'volume' ? total.volume : total.amountFen, total.amountFen);
    if (rebate.amountFen === 0) continue;
    lines.push({
      payeeKey: total.payeeKey,
      payeeKind: total.payeeKind,
      ruleKey: rule.key,
      ruleKind: rule.kind,
      amountFen: rebate.amountFen,
      formula: rebateFormula(rule, total, rebate),
      factsUsed: { 'period.volume': total.volume, 'period.amountFen': total.amountFen },
      rounding: 'HALF_UP',
      ruleSetVersionId: version.versionId,
    });
  }
  return lines;
}

/** One job's contribution to a payee's rebate base (the caller filters jobs by the rule's condition). */
export function rebateBaseOf(_rule: TieredRebateRule, facts: JobFacts): { volume: number; amountFen: number } {
  const volume = facts.serviceItems.reduce((sum, item) => sum.plus(item.quantity), new Dec(0)).toNumber();
  return { volume, amountFen: facts.order.amountFen };
}
