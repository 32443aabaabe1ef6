export interface Share {
  key: string;
  weight: number;
}

interface Part {
  key: string;
  part: bigint;
  remainder: bigint;
}

/** Whether totalFen × weight / weightSum is a whole number of fen (no rounding remainder). */
export function dividesEvenly(totalFen: number, weight: number, weightSum: number): boolean {
  const product = totalFen * weight;
  return Number.isSafeInteger(product) ? product % weightSum === 0 : (BigInt(totalFen) * BigInt(weight)) % BigInt(weightSum) === 0n;
}

/**
 * Splits `totalFen` in proportion to the weights so that the parts always add up to the total
 * (largest-remainder method): every share gets its proportional part rounded toward zero, then the
 * fen left over go one each to the largest remainders, ties to the smaller key. A negative total is
 * split as its absolute value and negated, so a refund mirrors the original split. The result does
 * not depend on the order of `shares`.
 */
export function allocateLargestRemainder(totalFen: number, shares: Share[]): Record<string, number> {
  if (!Number.isSafeInteger(totalFen)) throw new RangeError(`total must be an integer number of fen, got ${totalFen}`);
  if (shares.length === 0) throw new RangeError('nothing to allocate to: no shares');
  const keys = new Set<string>();
  for (const { key, weight } of shares) {
    if (!Number.isSafeInteger(weight) || weight <= 0) throw new RangeError(`share "${key}": weight must be a positive integer, got ${weight}`);
    if (keys.has(key)) throw new RangeError(`share "${key}" appears twice`);
    keys.add(key);
  }
  // BigInt keeps total × weight exact whatever the sizes.
  const whole = BigInt(Math.abs(totalFen));
  const weightSum = shares.reduce((sum, s) => sum + BigInt(s.weight), 0n);
  const parts: Part[] = shares.map(({ key, weight }) => ({ key, part: (whole * BigInt(weight)) / weightSum, remainder: (whole * BigInt(weight)) % weightSum }));
  let leftOver = whole - parts.reduce((sum, p) => sum + p.part, 0n);
  // Remainders share the denominator weightSum, so comparing numerators compares fractions exactly.
  const byRemainder = [...parts].sort((a, b) => (a.remainder === b.remainder ? (a.key < b.key ? -1 : 1) : a.remainder > b.remainder ? -1 : 1));
  for (const p of byRemainder) {
    if (leftOver === 0n) break;
    p.part += 1n;
    leftOver -= 1n;
  }
  const sign = totalFen < 0 ? -1 : 1;
  const result: Record<string, number> = {};
  for (const p of parts) result[p.key] = sign * Number(p.part) || 0;
  return result;
}
