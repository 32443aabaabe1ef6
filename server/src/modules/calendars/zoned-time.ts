/**
 * Calendar dates and wall-clock times in a named IANA time zone, without a date library. Works for
 * zones with and without daylight saving time: offsets are read from Intl for the instant at hand.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** Whether `zone` is an IANA time zone this runtime knows. */
export function isKnownTimeZone(zone: string): boolean {
  try {
    formatterFor(zone);
    return true;
  } catch {
    return false;
  }
}

export interface LocalDate {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
}

interface LocalParts extends LocalDate {
  hour: number;
  minute: number;
  second: number;
}

function partsAt(zone: string, at: number): LocalParts {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(zone).formatToParts(new Date(at))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour! % 24, minute: parts.minute!, second: parts.second! };
}

/** Milliseconds the zone is ahead of UTC at the instant `at`. */
function offsetAt(zone: string, at: number): number {
  const p = partsAt(zone, at);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return wall - (at - (((at % 1000) + 1000) % 1000));
}

/** The calendar date in `zone` at the instant `at`. */
export function localDateAt(zone: string, at: number): LocalDate {
  const { year, month, day } = partsAt(zone, at);
  return { year, month, day };
}

/** The date `days` after `date` (negative goes back). */
export function addDays(date: LocalDate, days: number): LocalDate {
  const next = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate() };
}

/** 0 = Sunday … 6 = Saturday. */
export const weekdayOf = (date: LocalDate): number => new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();

export const isoDate = (date: LocalDate): string =>
  `${String(date.year).padStart(4, '0')}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;

/**
 * The UTC instant at which the wall clock in `zone` shows `minuteOfDay` (0–1440) on `date`. A wall
 * time repeated by a DST change maps to its first occurrence; one skipped by a DST jump is moved
 * forward by the length of the jump (as Temporal's "compatible" disambiguation does).
 */
export function instantOf(zone: string, date: LocalDate, minuteOfDay: number): number {
  const key = `${zone}|${date.year}-${date.month}-${date.day}|${minuteOfDay}`;
  let at = instants.get(key);
  if (at === undefined) {
    if (instants.size >= 200_000) instants.clear();
    at = computeInstant(zone, date, minuteOfDay);
    instants.set(key, at);
  }
  return at;
}

/** Intl is slow: wall-clock instants are remembered (a few spans a day, a few years of days). */
const instants = new Map<string, number>();

function computeInstant(zone: string, date: LocalDate, minuteOfDay: number): number {
  const wall = Date.UTC(date.year, date.month - 1, date.day) + minuteOfDay * 60_000;
  const before = offsetAt(zone, wall - 86_400_000);
  const after = offsetAt(zone, wall + 86_400_000);
  const candidates = [wall - before, wall - after].filter((at) => at + offsetAt(zone, at) === wall);
  if (candidates.length) return Math.min(...candidates);
  return wall - before;
}
