import { getDayDetail } from 'chinese-days';
import { instantOf, isoDate, weekdayOf, type LocalDate } from './zoned-time';

/** One working span of a day, as wall-clock "HH:MM" (end may be "24:00"). */
export type TimeSpan = [string, string];

/** What the time math needs to know about a calendar. */
export interface CalendarSpec {
  timeZone: string;
  /** Keyed by weekday, "0" = Sunday … "6" = Saturday; a missing or empty day is a day off. */
  workingHours: Partial<Record<string, TimeSpan[]>>;
  /** Chinese public holidays are days off and 调休 make-up workdays are working days. */
  chineseHolidays: boolean;
  extraHolidays: string[];
  extraWorkdays: string[];
}

export type DayKind = 'workday' | 'weekend' | 'public_holiday' | 'make_up_workday' | 'extra_holiday' | 'extra_workday';

export interface BusinessDay {
  date: string;
  kind: DayKind;
  /** The holiday's name from the Chinese calendar data, e.g. "National Day,国庆节,3". */
  holidayName?: string;
  spans: TimeSpan[];
}

const weekdayNames = new Set(['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']);
const chineseDays = new Map<string, { work: boolean; name: string } | null>();

/** The Chinese calendar's verdict on a date: a named holiday or make-up workday, or null for an ordinary day. */
function chineseDay(date: string): { work: boolean; name: string } | null {
  if (!chineseDays.has(date)) {
    const detail = getDayDetail(date);
    chineseDays.set(date, weekdayNames.has(detail.name) ? null : { work: detail.work, name: detail.name });
  }
  return chineseDays.get(date) ?? null;
}

export const minuteOfDay = (time: string): number => {
  const [hours, minutes] = time.split(':').map(Number);
  return hours! * 60 + minutes!;
};

/**
 * The hours a make-up or extra workday follows: the Monday–Friday hours, i.e. Monday's, or the first
 * weekday from Monday to Friday that has hours.
 */
export function makeUpSpans(spec: CalendarSpec): TimeSpan[] {
  for (const day of ['1', '2', '3', '4', '5']) {
    const spans = spec.workingHours[day];
    if (spans?.length) return spans;
  }
  return [];
}

/**
 * Which kind of day `date` is on the calendar and its working spans. Precedence: extra holidays,
 * then extra workdays, then the Chinese public holidays and make-up workdays, then the weekday's hours.
 */
export function businessDay(spec: CalendarSpec, date: LocalDate, lookups?: { holidays: Set<string>; workdays: Set<string> }): BusinessDay {
  const iso = isoDate(date);
  const holidays = lookups?.holidays ?? new Set(spec.extraHolidays);
  const workdays = lookups?.workdays ?? new Set(spec.extraWorkdays);
  if (holidays.has(iso)) return { date: iso, kind: 'extra_holiday', spans: [] };
  if (workdays.has(iso)) return { date: iso, kind: 'extra_workday', spans: makeUpSpans(spec) };
  if (spec.chineseHolidays) {
    const chinese = chineseDay(iso);
    if (chinese?.work) return { date: iso, kind: 'make_up_workday', holidayName: chinese.name, spans: makeUpSpans(spec) };
    if (chinese) return { date: iso, kind: 'public_holiday', holidayName: chinese.name, spans: [] };
  }
  const spans = spec.workingHours[String(weekdayOf(date))] ?? [];
  return { date: iso, kind: spans.length ? 'workday' : 'weekend', spans };
}

/** The working intervals of a day as UTC milliseconds [start, end), in order. */
export function workingIntervals(spec: CalendarSpec, day: BusinessDay, date: LocalDate): Array<[number, number]> {
  return day.spans.map(([start, end]) => [instantOf(spec.timeZone, date, minuteOfDay(start)), instantOf(spec.timeZone, date, minuteOfDay(end))]);
}
