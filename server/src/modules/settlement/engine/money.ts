import Decimal from 'decimal.js';

/**
 * Decimal arithmetic for settlement amounts. A private clone with generous precision, so that
 * intermediate products (fen × quantity × basis points) never lose digits before the single
 * HALF_UP rounding to the fen; the global Decimal settings stay untouched.
 */
export const Dec = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
export type Dec = InstanceType<typeof Dec>;

/**
 * Rounds to an integer number of fen, half away from zero (decimal.js ROUND_HALF_UP): 100.5 → 101,
 * 0.5 → 1, -0.5 → -1. Throws when the result is not a safe integer.
 */
export function roundHalfUp(value: Decimal.Value): number {
  const fen = new Dec(value).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber();
  if (!Number.isSafeInteger(fen)) throw new RangeError(`amount out of range: ${String(value)} fen`);
  return Object.is(fen, -0) ? 0 : fen;
}

/** Integer fen as yuan with two decimals: 30000 → "300.00", -3000 → "-30.00", -5 → "-0.05". */
export function formatYuan(fen: number): string {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`not an integer amount of fen: ${fen}`);
  const abs = Math.abs(fen);
  const cents = String(abs % 100).padStart(2, '0');
  return `${fen < 0 ? '-' : ''}${Math.floor(abs / 100)}.${cents}`;
}

/** Yuan with a sign always shown: "+50.00", "-30.00". */
export const formatSignedYuan = (fen: number): string => (fen < 0 ? formatYuan(fen) : `+${formatYuan(fen)}`);

/** Basis points as a percentage: 500 → "5%", 250 → "2.5%", 1 → "0.01%". */
export const formatPercent = (bp: number): string => `${new Dec(bp).div(100).toString()}%`;
