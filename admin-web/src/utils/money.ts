/**
 * Money in the console: amounts travel as integer fen and are shown or typed as yuan. Conversions
 * work on digits and integers only, so 300.5 yuan is exactly 30050 fen (no float rounding).
 */

/** `digits` as a fixed-point string with `scale` decimals: (30050, 2) → "300.50", (-5, 2) → "-0.05". */
export function formatScaled(value: number, scale: number, grouping = false): string {
  const negative = value < 0;
  const digits = String(Math.abs(Math.trunc(value))).padStart(scale + 1, '0');
  let whole = digits.slice(0, digits.length - scale);
  if (grouping) whole = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const fraction = scale > 0 ? `.${digits.slice(digits.length - scale)}` : '';
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

/** Integer fen as "¥1,234.56" ("-¥30.00" for a negative amount); "—" for no value. */
export function formatFen(fen: number | null | undefined): string {
  if (fen === null || fen === undefined || !Number.isFinite(fen)) return '—';
  const text = formatScaled(fen, 2, true);
  return fen < 0 ? `-¥${text.slice(1)}` : `¥${text}`;
}

/** Signed for differences: "+¥20.00", "-¥5.00", "¥0.00". */
export function formatFenSigned(fen: number): string {
  return fen > 0 ? `+${formatFen(fen)}` : formatFen(fen);
}

/**
 * A decimal typed by a user ("300.5", "1,200", "-30") as an integer with `scale` decimals
 * (scale 2: 30050, 120000, -3000), or null when it is not a number with at most `scale` decimals.
 */
export function parseScaled(text: string, scale: number, allowNegative = false): number | null {
  const trimmed = text.trim().replace(/,/g, '');
  const match = /^(-)?(\d*)(?:\.(\d*))?$/.exec(trimmed);
  if (!match) return null;
  const [, minus, whole = '', fraction = ''] = match;
  if (!whole && !fraction) return null;
  if (fraction.length > scale) return null;
  if (minus && !allowNegative) return null;
  const value = Number(`${whole || '0'}${fraction.padEnd(scale, '0')}`);
  if (!Number.isSafeInteger(value)) return null;
  return minus && value !== 0 ? -value : value;
}

/** Yuan typed by a user as integer fen ("300.5" → 30050), or null when it is not a valid amount. */
export const parseYuan = (text: string, allowNegative = false): number | null => parseScaled(text, 2, allowNegative);

/** Integer fen as a plain yuan string for an input ("300.50"). */
export const fenToYuan = (fen: number): string => formatScaled(fen, 2);

/** Basis points typed as a percent ("2.5" → 250); shown back with `formatScaled(bp, 2)`. */
export const parsePercent = (text: string): number | null => parseScaled(text, 2);
