import Decimal from 'decimal.js';

/** Yuan as a platform sends it ("2999.00", 2999, "0.1") → integer fen, half-up at the third decimal. */
export function yuanToFen(yuan: string | number): number {
  const value = new Decimal(typeof yuan === 'number' ? yuan.toString() : yuan.trim());
  if (!value.isFinite() || value.isNegative()) throw new Error(`not an amount: ${yuan}`);
  return value.times(100).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber();
}

/** "yyyy-MM-dd HH:mm:ss" in Beijing time (how these platforms write times) → ISO-8601 UTC. */
export function shanghaiTimeToIso(text: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(text.trim());
  if (!match) throw new Error(`not a time: ${text}`);
  const [, y, mo, d, h, mi, s] = match.map(Number) as number[];
  return new Date(Date.UTC(y!, mo! - 1, d!, h! - 8, mi!, s!)).toISOString();
}

/** ISO-8601 → "yyyy-MM-dd HH:mm:ss" in Beijing time. */
export function isoToShanghaiTime(iso: string | Date): string {
  const t = new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString();
  return `${t.slice(0, 10)} ${t.slice(11, 19)}`;
}

export const unixSecondsToIso = (seconds: number | string): string => new Date(Number(seconds) * 1000).toISOString();

/** A category code for a platform category (id or name) from the shop's mapping setting, if any. */
export function categoryOf(mapping: Record<string, string> | undefined, ...keys: Array<string | number | undefined>): string | undefined {
  for (const key of keys) if (key !== undefined && mapping?.[String(key)]) return mapping[String(key)];
  return undefined;
}

/**
 * A numeric id field read from JSON text as digits. Platform order ids are 18–19 digit integers,
 * beyond JS's safe integers, so `JSON.parse` would change them.
 */
export function idFieldOf(json: string, field: string): string | undefined {
  return new RegExp(`"${field}"\\s*:\\s*"?(\\d+)`).exec(json)?.[1];
}
