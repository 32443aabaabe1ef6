import type { CalendarSpec, TimeSpan } from './business-day';
import { businessDay } from './business-day';
import { addBusinessMinutes, businessMinutesBetween, NoWorkingTimeError } from './business-time';
import { instantOf } from './zoned-time';

const weekdays = (spans: TimeSpan[]) => Object.fromEntries(['1', '2', '3', '4', '5'].map((d) => [d, spans]));
const office: CalendarSpec = { timeZone: 'Asia/Shanghai', workingHours: weekdays([['09:00', '18:00']]), chineseHolidays: true, extraHolidays: [], extraWorkdays: [] };
const withLunch: CalendarSpec = { ...office, workingHours: weekdays([['09:00', '12:00'], ['13:00', '18:00']]) };

/** A wall-clock time in Beijing as a Date. */
const cst = (text: string) => new Date(`${text}+08:00`);
const iso = (date: Date) => date.toISOString();

describe('business time on a calendar with Chinese holidays', () => {
  it('moves a 120-minute limit from 17:59 on the Friday before Spring Festival onto the make-up Saturday', () => {
    // 2026-02-13 is a Friday; 2026-02-14 (Saturday) is a make-up workday; 02-15 … 02-23 are the holiday.
    expect(iso(addBusinessMinutes(office, cst('2026-02-13T17:59:00'), 120))).toBe(iso(cst('2026-02-14T10:59:00')));
  });

  it('carries what the make-up Saturday cannot hold past the whole holiday to the first workday after it', () => {
    // 1 minute on Friday, 540 on the make-up Saturday, the last 59 on Tuesday 2026-02-24.
    expect(iso(addBusinessMinutes(office, cst('2026-02-13T17:59:00'), 600))).toBe(iso(cst('2026-02-24T09:59:00')));
    expect(businessMinutesBetween(office, cst('2026-02-13T17:59:00'), cst('2026-02-24T09:59:00'))).toBe(600);
  });

  it('skips the National Day week and counts the make-up Saturday after it', () => {
    expect(iso(addBusinessMinutes(office, cst('2026-09-30T17:59:00'), 120))).toBe(iso(cst('2026-10-08T10:59:00')));
    expect(iso(addBusinessMinutes(office, cst('2026-10-09T17:59:00'), 120))).toBe(iso(cst('2026-10-10T10:59:00')));
    // Sunday 2026-09-20 is a make-up workday too.
    expect(iso(addBusinessMinutes(office, cst('2026-09-18T17:30:00'), 60))).toBe(iso(cst('2026-09-20T09:30:00')));
  });

  it('classifies holidays, make-up workdays and ordinary days', () => {
    expect(businessDay(office, { year: 2026, month: 10, day: 1 })).toMatchObject({ kind: 'public_holiday', spans: [] });
    expect(businessDay(office, { year: 2026, month: 10, day: 10 })).toMatchObject({ kind: 'make_up_workday', spans: [['09:00', '18:00']] });
    expect(businessDay(office, { year: 2026, month: 10, day: 11 })).toMatchObject({ kind: 'weekend', spans: [] });
    expect(businessDay(office, { year: 2026, month: 10, day: 12 })).toMatchObject({ kind: 'workday' });
  });

  it('ignores Chinese holidays when the calendar does not follow them', () => {
    const plain = { ...office, chineseHolidays: false };
    expect(iso(addBusinessMinutes(plain, cst('2026-09-30T17:59:00'), 120))).toBe(iso(cst('2026-10-01T10:59:00')));
    expect(iso(addBusinessMinutes(plain, cst('2026-10-09T17:59:00'), 120))).toBe(iso(cst('2026-10-12T10:59:00')));
  });
});

describe('business time within a day', () => {
  it('does not count the lunch break', () => {
    expect(iso(addBusinessMinutes(withLunch, cst('2026-03-02T11:30:00'), 60))).toBe(iso(cst('2026-03-02T13:30:00')));
    expect(businessMinutesBetween(withLunch, cst('2026-03-02T11:30:00'), cst('2026-03-02T13:30:00'))).toBe(60);
    expect(iso(addBusinessMinutes(withLunch, cst('2026-02-13T17:59:00'), 200))).toBe(iso(cst('2026-02-14T13:19:00')));
  });

  it('starts counting at the next opening when the start is outside working hours', () => {
    expect(iso(addBusinessMinutes(office, cst('2026-03-01T12:00:00'), 1))).toBe(iso(cst('2026-03-02T09:01:00')));
    expect(iso(addBusinessMinutes(withLunch, cst('2026-03-02T12:20:00'), 10))).toBe(iso(cst('2026-03-02T13:10:00')));
    expect(iso(addBusinessMinutes(office, cst('2026-03-02T18:00:00'), 1))).toBe(iso(cst('2026-03-03T09:01:00')));
  });

  it('lands exactly on the end of a span rather than on the next opening', () => {
    expect(iso(addBusinessMinutes(office, cst('2026-03-02T17:00:00'), 60))).toBe(iso(cst('2026-03-02T18:00:00')));
  });

  it('keeps fractional minutes exact to the millisecond and returns the start for zero', () => {
    expect(iso(addBusinessMinutes(office, cst('2026-03-02T10:00:00'), 1.5))).toBe(iso(cst('2026-03-02T10:01:30')));
    expect(iso(addBusinessMinutes(office, cst('2026-03-01T10:00:00'), 0))).toBe(iso(cst('2026-03-01T10:00:00')));
    expect(businessMinutesBetween(office, cst('2026-03-02T10:00:00'), cst('2026-03-02T10:00:30'))).toBe(0.5);
    expect(() => addBusinessMinutes(office, new Date(), -1)).toThrow(RangeError);
  });

  it('answers a negative count when the end is before the start', () => {
    expect(businessMinutesBetween(office, cst('2026-03-03T10:00:00'), cst('2026-03-02T17:00:00'))).toBe(-120);
  });
});

describe('business time with extra dates and other zones', () => {
  it('treats extra holidays as days off and extra workdays as Monday-to-Friday days', () => {
    const local = { ...office, extraHolidays: ['2026-03-03'], extraWorkdays: ['2026-03-07'] };
    expect(iso(addBusinessMinutes(local, cst('2026-03-02T17:00:00'), 120))).toBe(iso(cst('2026-03-04T10:00:00')));
    expect(iso(addBusinessMinutes(local, cst('2026-03-06T17:00:00'), 120))).toBe(iso(cst('2026-03-07T10:00:00')));
    // An extra holiday wins over a make-up workday.
    expect(iso(addBusinessMinutes({ ...office, extraHolidays: ['2026-10-10'] }, cst('2026-10-09T17:59:00'), 120))).toBe(iso(cst('2026-10-12T10:59:00')));
  });

  it('uses the Monday hours on a make-up workday even when the weekday has its own hours', () => {
    const saturdayMornings = { ...office, workingHours: { ...office.workingHours, '6': [['09:00', '12:00']] as TimeSpan[] } };
    expect(businessDay(saturdayMornings, { year: 2026, month: 10, day: 10 }).spans).toEqual([['09:00', '18:00']]);
    expect(businessDay(saturdayMornings, { year: 2026, month: 10, day: 17 }).spans).toEqual([['09:00', '12:00']]);
  });

  it('reads working hours in the calendar zone: UTC and a zone with daylight saving time', () => {
    const utc = { ...office, timeZone: 'UTC', chineseHolidays: false };
    expect(iso(addBusinessMinutes(utc, new Date('2026-03-06T17:30:00Z'), 60))).toBe('2026-03-09T09:30:00.000Z');
    // New York moves its clocks forward on Sunday 2026-03-08: 09:00 is 14:00Z on Friday and 13:00Z on Monday.
    const newYork = { ...office, timeZone: 'America/New_York', chineseHolidays: false };
    expect(iso(addBusinessMinutes(newYork, new Date('2026-03-06T22:00:00Z'), 120))).toBe('2026-03-09T14:00:00.000Z');
    expect(businessMinutesBetween(newYork, new Date('2026-03-06T14:00:00Z'), new Date('2026-03-09T22:00:00Z'))).toBe(2 * 540);
  });

  it('maps wall-clock times to instants across DST changes', () => {
    expect(new Date(instantOf('Europe/Berlin', { year: 2026, month: 3, day: 29 }, 9 * 60)).toISOString()).toBe('2026-03-29T07:00:00.000Z');
    expect(new Date(instantOf('Europe/Berlin', { year: 2026, month: 3, day: 28 }, 9 * 60)).toISOString()).toBe('2026-03-28T08:00:00.000Z');
    // 02:30 does not exist that night; it is read as 03:30 summer time.
    expect(new Date(instantOf('Europe/Berlin', { year: 2026, month: 3, day: 29 }, 150)).toISOString()).toBe('2026-03-29T01:30:00.000Z');
    // 02:30 happens twice on 2026-10-25; the first one counts.
    expect(new Date(instantOf('Europe/Berlin', { year: 2026, month: 10, day: 25 }, 150)).toISOString()).toBe('2026-10-25T00:30:00.000Z');
  });

  it('fails clearly on a calendar without working hours', () => {
    expect(() => addBusinessMinutes({ ...office, workingHours: {}, chineseHolidays: false }, new Date(), 10)).toThrow(NoWorkingTimeError);
  });
});

describe('business time over long limits', () => {
  it('round-trips: the minutes between a start and start + N are N', () => {
    let seed = 7;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let i = 0; i < 300; i += 1) {
      const from = new Date(Date.UTC(2025, 0, 1) + Math.floor(random() * 730 * 86_400_000));
      const minutes = Math.floor(random() * 20 * 540);
      const due = addBusinessMinutes(withLunch, from, minutes);
      expect(businessMinutesBetween(withLunch, from, due)).toBe(minutes);
    }
  });

  it('computes a limit of several weeks by days, not minutes', () => {
    const started = performance.now();
    for (let i = 0; i < 100; i += 1) addBusinessMinutes(withLunch, cst('2026-01-05T09:00:00'), 8 * 60 * 20 * 6);
    // Six months of working days, a hundred times.
    expect(performance.now() - started).toBeLessThan(2000);
    expect(iso(addBusinessMinutes(office, cst('2026-03-02T09:00:00'), 540 * 10))).toBe(iso(cst('2026-03-13T18:00:00')));
  });
});
