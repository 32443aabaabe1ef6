import type { JobFacts } from '../settlement-rules';
import { Dec } from './money';

/**
 * What a per-unit amount counts (`ruleAmount.unitFact`): `serviceItems.<code>` (that item's
 * quantity, summed if it appears twice), `recycledUnits`, `complaints`, `lateMinutes`, or a numeric
 * form field `form.<node>.<field>`.
 */
const countFacts = ['recycledUnits', 'complaints', 'lateMinutes'] as const;
const itemPrefix = 'serviceItems.';
const formPattern = /^form\.([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)$/;
const numeric = /^-?\d+(?:\.\d+)?$/;

/** A count: a plain number when it is an integer (the common case), else an exact decimal. */
export type Quantity = number | Dec;

export function unitFactProblem(unitFact: string): string | null {
  const known = (countFacts as readonly string[]).includes(unitFact) || (unitFact.startsWith(itemPrefix) && unitFact.length > itemPrefix.length) || formPattern.test(unitFact);
  return known ? null : `unknown unit fact "${unitFact}" (serviceItems.<code>, ${countFacts.join(', ')} or form.<node>.<field>)`;
}

function asQuantity(value: unknown): Quantity {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : Number.isFinite(value) ? new Dec(value) : 0;
  if (typeof value !== 'string' || !numeric.test(value)) return 0;
  const number = Number(value);
  return Number.isSafeInteger(number) && !value.includes('.') ? number : new Dec(value);
}

const plus = (a: Quantity, b: Quantity): Quantity => (typeof a === 'number' && typeof b === 'number' && Number.isSafeInteger(a + b) ? a + b : new Dec(a).plus(b));
const atLeastZero = (q: Quantity): Quantity => (typeof q === 'number' ? Math.max(0, q) : q.isNegative() ? 0 : q);
const own = (value: object, key: string): boolean => Object.prototype.hasOwnProperty.call(value, key);

function rawUnits(unitFact: string, facts: JobFacts): Quantity {
  if ((countFacts as readonly string[]).includes(unitFact)) return asQuantity(facts[unitFact as (typeof countFacts)[number]]);
  if (unitFact.startsWith(itemPrefix)) {
    const code = unitFact.slice(itemPrefix.length);
    return facts.serviceItems.reduce<Quantity>((sum, item) => (item.code === code ? plus(sum, asQuantity(item.quantity)) : sum), 0);
  }
  const [, node, field] = formPattern.exec(unitFact) ?? [];
  if (node === undefined || field === undefined || !own(facts.form, node)) return 0;
  const values = facts.form[node];
  return values && own(values, field) ? asQuantity(values[field]) : 0;
}

/** Units counted by `unitFact`; unknown, absent or non-numeric counts as 0, and so does a negative count. */
export function unitsOf(unitFact: string, facts: JobFacts): Quantity {
  return atLeastZero(rawUnits(unitFact, facts));
}

/** Labour hours; a missing, malformed or negative value counts as 0. */
export function hoursOf(facts: JobFacts): Quantity {
  return atLeastZero(asQuantity(facts.hours));
}

/** A quantity as a plain number, for `factsUsed`. */
export const quantityNumber = (q: Quantity): number => (typeof q === 'number' ? q : q.toNumber());
