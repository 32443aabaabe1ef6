import { Dec, roundHalfUp } from './money';

/** Factors are held in ten-thousandths, so quantities with up to 4 decimals and basis points stay integers. */
const SCALE = 10_000;
const decimalText = /^(-?)(\d{1,15})(?:\.(\d{1,4}))?$/;

/** `factor` × 10,000 as a safe integer, or null when that is not exact. */
function scaled(factor: number | string): number | null {
  if (typeof factor === 'number' && Number.isInteger(factor)) return Number.isSafeInteger(factor * SCALE) ? factor * SCALE : null;
  const match = decimalText.exec(String(factor));
  if (!match) return null;
  const [, sign, whole, fraction = ''] = match;
  const value = Number(whole) * SCALE + Number(fraction.padEnd(4, '0'));
  return Number.isSafeInteger(value) ? (sign ? -value : value) : null;
}

export interface RoundedFen {
  /** Rounded HALF_UP (half away from zero) to the fen. */
  fen: number;
  /** Whether rounding left the value unchanged. */
  exact: boolean;
}

/**
 * An exact sum of fen amounts, rounded once at the end. Kept as a safe integer count of
 * 1/10,000 fen while the terms allow it (the common case, and much faster), otherwise carried in
 * decimal.js; both give the same result as computing everything in decimal.js.
 */
export class FenSum {
  private scaledTotal = 0;
  private decimal: Dec | null = null;

  /** Adds fen × factor (a quantity, units, hours). */
  addProduct(fen: number, factor: number | string | Dec): this {
    const factorScaled = typeof factor === 'object' ? null : scaled(factor);
    const term = factorScaled === null ? null : fen * factorScaled;
    if (term !== null && Number.isSafeInteger(term) && Number.isSafeInteger(this.scaledTotal + term)) this.scaledTotal += term;
    else this.decimal = (this.decimal ?? new Dec(0)).plus(new Dec(fen).times(typeof factor === 'object' ? factor : new Dec(factor)));
    return this;
  }

  /** Adds fen × basisPoints / 10,000 (a percentage). */
  addBasisPoints(fen: number, basisPoints: number): this {
    const term = fen * basisPoints;
    if (Number.isSafeInteger(term) && Number.isSafeInteger(this.scaledTotal + term)) this.scaledTotal += term;
    else this.decimal = (this.decimal ?? new Dec(0)).plus(new Dec(fen).times(basisPoints).div(SCALE));
    return this;
  }

  negate(): this {
    this.scaledTotal = -this.scaledTotal;
    this.decimal = this.decimal?.negated() ?? null;
    return this;
  }

  round(): RoundedFen {
    if (this.decimal === null) {
      const abs = Math.abs(this.scaledTotal);
      const whole = Math.floor(abs / SCALE);
      const rest = abs - whole * SCALE;
      const fen = (rest * 2 >= SCALE ? whole + 1 : whole) * Math.sign(this.scaledTotal);
      return { fen: fen === 0 ? 0 : fen, exact: rest === 0 };
    }
    const total = this.decimal.plus(new Dec(this.scaledTotal).div(SCALE));
    const fen = roundHalfUp(total);
    return { fen, exact: total.equals(fen) };
  }
}
