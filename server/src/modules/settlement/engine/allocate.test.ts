import fc from 'fast-check';
import { allocateLargestRemainder } from './allocate';

const sum = (parts: Record<string, number>) => Object.values(parts).reduce((a, b) => a + b, 0);

describe('largest-remainder allocation', () => {
  it('splits 100.00 three ways as 33.34 / 33.33 / 33.33, the extra fen to the smallest key on a tie', () => {
    const shares = [
      { key: 'store', weight: 1 },
      { key: 'company', weight: 1 },
      { key: 'dealer', weight: 1 },
    ];
    expect(allocateLargestRemainder(10_000, shares)).toEqual({ company: 3_334, dealer: 3_333, store: 3_333 });
    expect(allocateLargestRemainder(10_000, [...shares].reverse())).toEqual({ company: 3_334, dealer: 3_333, store: 3_333 });
  });

  it('gives left-over fen to the largest remainders first', () => {
    // 1.00 split 1:1:4 → 16.67 / 16.67 / 66.67 exactly; floors 16/16/66 leave 2 fen for the largest remainders (all .67 → by key).
    expect(allocateLargestRemainder(100, [{ key: 'c', weight: 4 }, { key: 'b', weight: 1 }, { key: 'a', weight: 1 }])).toEqual({ a: 17, b: 17, c: 66 });
    // 0.10 split 3:7 → 3 / 7 exactly, nothing left over.
    expect(allocateLargestRemainder(10, [{ key: 'x', weight: 3 }, { key: 'y', weight: 7 }])).toEqual({ x: 3, y: 7 });
  });

  it('mirrors the split for a negative total, so a refund undoes the original parts exactly', () => {
    const shares = [{ key: 'company', weight: 30 }, { key: 'store', weight: 50 }, { key: 'dealer', weight: 20 }];
    const forward = allocateLargestRemainder(9_999, shares);
    const back = allocateLargestRemainder(-9_999, shares);
    for (const key of Object.keys(forward)) expect(back[key]).toBe(-(forward[key] as number));
    expect(sum(back)).toBe(-9_999);
  });

  it('handles amounts whose products exceed the safe integer range', () => {
    const parts = allocateLargestRemainder(9_007_199_254_740_991, [{ key: 'a', weight: 999_999 }, { key: 'b', weight: 3 }]);
    expect(BigInt(parts.a as number) + BigInt(parts.b as number)).toBe(9_007_199_254_740_991n);
  });

  it('throws on no shares, non-positive or fractional weights, repeated keys and fractional totals', () => {
    expect(() => allocateLargestRemainder(100, [])).toThrow(/no shares/);
    expect(() => allocateLargestRemainder(100, [{ key: 'a', weight: 0 }])).toThrow(/weight/);
    expect(() => allocateLargestRemainder(100, [{ key: 'a', weight: -1 }])).toThrow(/weight/);
    expect(() => allocateLargestRemainder(100, [{ key: 'a', weight: 1.5 }])).toThrow(/weight/);
    expect(() => allocateLargestRemainder(100, [{ key: 'a', weight: 1 }, { key: 'a', weight: 2 }])).toThrow(/twice/);
    expect(() => allocateLargestRemainder(1.5, [{ key: 'a', weight: 1 }])).toThrow(/integer/);
  });

  const shares = fc.uniqueArray(fc.record({ key: fc.string({ minLength: 1, maxLength: 6 }), weight: fc.integer({ min: 1, max: 1_000_000 }) }), { minLength: 1, maxLength: 12, selector: (s) => s.key });
  const total = fc.integer({ min: -1e12, max: 1e12 });

  it('always sums to the whole, positive or negative (property)', () => {
    fc.assert(fc.property(total, shares, (t, s) => expect(sum(allocateLargestRemainder(t, s))).toBe(t)));
  });

  it('does not depend on the order of the payees (property: shuffled shares give the same parts)', () => {
    fc.assert(
      fc.property(total, shares.chain((s) => fc.tuple(fc.constant(s), fc.shuffledSubarray(s, { minLength: s.length, maxLength: s.length }))), (t, [s, shuffled]) => {
        expect(allocateLargestRemainder(t, shuffled)).toEqual(allocateLargestRemainder(t, s));
      }),
    );
  });

  it('keeps every part within one fen of its exact proportional value (property)', () => {
    fc.assert(
      fc.property(total, shares, (t, s) => {
        const parts = allocateLargestRemainder(t, s);
        const weights = s.reduce((a, x) => a + x.weight, 0);
        for (const { key, weight } of s) expect(Math.abs((parts[key] as number) - (t * weight) / weights)).toBeLessThan(1 + 1e-6 * Math.abs(t));
      }),
    );
  });
});
