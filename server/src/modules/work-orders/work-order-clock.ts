import type { CalendarsPort } from './work-order.ports';

/**
 * Where a due time lands after a pause, on business time: the business minutes it had left when the
 * clock stopped are counted again from the resume, so a pause over a night, a weekend or a holiday
 * gives back no time that was not working time. A due time already past at the pause stays put.
 */
export async function dueAfterPause(calendars: CalendarsPort, calendar: string, due: Date, pausedAt: Date, resumedAt: Date): Promise<Date> {
  const left = await calendars.businessMinutesBetween(calendar, pausedAt, due);
  return left > 0 ? calendars.addBusinessMinutes(calendar, resumedAt, left) : due;
}
