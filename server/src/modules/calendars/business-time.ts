import { businessDay, workingIntervals, type CalendarSpec } from './business-day';
import { addDays, localDateAt, type LocalDate } from './zoned-time';

/** How far the walk looks for working time before it decides the calendar has none. */
const MAX_DAYS = 3 * 366;

export class NoWorkingTimeError extends Error {
  constructor() {
    super(`the calendar has no working time within ${MAX_DAYS} days`);
    this.name = 'NoWorkingTimeError';
  }
}

/** Walks the calendar's working intervals day by day from the local date of `from`, forwards. */
function* intervalsFrom(spec: CalendarSpec, from: number, maxDays = MAX_DAYS): Generator<[number, number]> {
  const lookups = { holidays: new Set(spec.extraHolidays), workdays: new Set(spec.extraWorkdays) };
  // Start a day early: in a zone behind UTC a span of the previous local date can still be open.
  let date: LocalDate = addDays(localDateAt(spec.timeZone, from), -1);
  for (let walked = 0; walked < maxDays; walked += 1, date = addDays(date, 1)) {
    const day = businessDay(spec, date, lookups);
    for (const interval of workingIntervals(spec, day, date)) {
      if (interval[1] > from) yield interval;
    }
  }
}

/**
 * The instant that lies `minutes` business minutes after `from`: time outside working spans, on
 * weekends, public holidays and extra holidays does not count; make-up and extra workdays do.
 * Exact to the millisecond; fractional minutes are allowed. Zero minutes returns `from` itself.
 */
export function addBusinessMinutes(spec: CalendarSpec, from: Date, minutes: number): Date {
  if (!Number.isFinite(minutes) || minutes < 0) throw new RangeError('minutes must be a finite number ≥ 0');
  let remaining = Math.round(minutes * 60_000);
  if (remaining === 0) return new Date(from.getTime());
  const start = from.getTime();
  for (const [begin, end] of intervalsFrom(spec, start)) {
    const open = Math.max(begin, start);
    const available = end - open;
    if (remaining <= available) return new Date(open + remaining);
    remaining -= available;
  }
  throw new NoWorkingTimeError();
}

/**
 * Business minutes between two instants (fractional, exact to the millisecond); negative when `to`
 * is before `from`.
 */
export function businessMinutesBetween(spec: CalendarSpec, from: Date, to: Date): number {
  const a = from.getTime();
  const b = to.getTime();
  if (b < a) return -businessMinutesBetween(spec, to, from);
  let total = 0;
  const days = Math.ceil((b - a) / 86_400_000) + 3;
  for (const [begin, end] of intervalsFrom(spec, a, days)) {
    if (begin >= b) break;
    total += Math.min(end, b) - Math.max(begin, a);
  }
  return total / 60_000;
}
