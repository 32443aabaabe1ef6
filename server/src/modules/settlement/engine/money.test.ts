import fc from 'fast-check';
import { FenSum } from './fen-sum';
import { Dec, formatPercent, formatSignedYuan, formatYuan, roundHalfUp } from './money';

describe('rounding to the fen (HALF_UP: halves away from zero, as decimal.js ROUND_HALF_UP)', () => {
  it('rounds 1.005 yuan (100.5 fen) up to 1.01 yuan, and 0.5 fen to 1 fen', () => {
    expect(roundHalfUp('100.5')).toBe(101);
    expect(roundHalfUp(0.5)).toBe(1);
    expect(roundHalfUp('100.4999')).toBe(100);
  });

  it('rounds negative halves away from zero: -0.5 → -1, -100.5 → -101, and never returns -0', () => {
    expect(roundHalfUp(-0.5)).toBe(-1);
    expect(roundHalfUp('-100.5')).toBe(-101);
    expect(roundHalfUp('-100.4')).toBe(-100);
    expect(Object.is(roundHalfUp('-0.4'), 0)).toBe(true);
  });

  it('refuses a result that is not a safe integer', () => {
    expect(() => roundHalfUp('1e20')).toThrow(RangeError);
  });
});

describe('yuan formatting', () => {
  it('shows integer fen as yuan with two decimals and a leading minus for negatives', () => {
    expect(formatYuan(30_000)).toBe('300.00');
    expect(formatYuan(-3_000)).toBe('-30.00');
    expect(formatYuan(-5)).toBe('-0.05');
    expect(formatYuan(0)).toBe('0.00');
    expect(formatYuan(123_456_789)).toBe('1234567.89');
    expect(formatSignedYuan(5_000)).toBe('+50.00');
    expect(formatSignedYuan(-3_000)).toBe('-30.00');
  });

  it('refuses fractional fen', () => {
    expect(() => formatYuan(1.5)).toThrow(RangeError);
  });

  it('shows basis points as a percentage', () => {
    expect(formatPercent(500)).toBe('5%');
    expect(formatPercent(250)).toBe('2.5%');
    expect(formatPercent(1)).toBe('0.01%');
  });
});

describe('exact fen sums', () => {
  // Halves are over-represented so that exact .5 fen ties are exercised, not just met by chance.
  const quantity = fc.oneof(fc.constantFrom('0.5', '1.5', '-2.5', 0.5, -0.5), fc.integer({ min: -1_000, max: 1_000 }), fc.double({ min: -1_000, max: 1_000, noNaN: true }), fc.stringMatching(/^\d{1,6}(\.\d{1,8})?$/));

  it('equals the same computation done entirely in decimal.js, rounded HALF_UP once', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 1e10 }), quantity), { maxLength: 4 }), fc.integer({ min: -1e10, max: 1e10 }), fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 10_000 })), fc.boolean(), (products, orderFen, bp, negate) => {
        const sum = new FenSum();
        let reference = new Dec(0);
        for (const [fen, q] of products) {
          sum.addProduct(fen, q);
          reference = reference.plus(new Dec(fen).times(q));
        }
        sum.addBasisPoints(orderFen, bp);
        reference = reference.plus(new Dec(orderFen).times(bp).div(10_000));
        if (negate) {
          sum.negate();
          reference = reference.negated();
        }
        const outcome = <T>(compute: () => T): T | 'out of range' => {
          try {
            return compute();
          } catch {
            return 'out of range';
          }
        };
        // Beyond the safe integer range both refuse rather than round silently.
        expect(outcome(() => sum.round())).toEqual(outcome(() => ({ fen: roundHalfUp(reference), exact: reference.isInteger() })));
      }),
    );
  });

  it('rounds 12.345 yuan-equivalents the HALF_UP way on both sides of zero', () => {
    expect(new FenSum().addBasisPoints(12_345, 5_000).round()).toEqual({ fen: 6_173, exact: false });
    expect(new FenSum().addBasisPoints(12_345, 5_000).negate().round()).toEqual({ fen: -6_173, exact: false });
    expect(new FenSum().addProduct(8_000, '1.5').round()).toEqual({ fen: 12_000, exact: true });
  });
});
