import { z } from 'zod';
import { minuteOfDay } from './business-day';
import { isKnownTimeZone } from './zoned-time';

const clock = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'a time of day as HH:MM (00:00–24:00)');
const span = z.tuple([clock, clock]).refine(([start, end]) => minuteOfDay(start) < minuteOfDay(end), 'a span must end after it starts');
const daySpans = z
  .array(span)
  .max(6)
  .refine((spans) => spans.every((s, i) => i === 0 || minuteOfDay(spans[i - 1]![1]) <= minuteOfDay(s[0])), 'spans must be in order and must not overlap');

export const workingHours = z
  .partialRecord(z.enum(['0', '1', '2', '3', '4', '5', '6']), daySpans)
  .describe('Working spans per weekday, "0" = Sunday … "6" = Saturday, e.g. { "1": [["09:00","12:00"],["13:00","18:00"]] }');

const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
  .refine((text) => !Number.isNaN(Date.parse(`${text}T00:00:00Z`)) && new Date(`${text}T00:00:00Z`).toISOString().startsWith(text), 'not a real date');
const dateList = z.array(isoDay).max(1000);

export const calendarCodeParams = z.object({ code: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'lower-case letters, digits, _ and -') });

const calendarFields = {
  name: z.string().trim().min(1).max(100),
  timeZone: z.string().refine(isKnownTimeZone, 'not a known IANA time zone such as Asia/Shanghai'),
  workingHours,
  chineseHolidays: z.boolean(),
  extraHolidays: dateList,
  extraWorkdays: dateList,
};

export const calendarBody = z
  .object({
    code: calendarCodeParams.shape.code,
    ...calendarFields,
    timeZone: calendarFields.timeZone.default('Asia/Shanghai'),
    chineseHolidays: z.boolean().default(true),
    extraHolidays: dateList.default([]),
    extraWorkdays: dateList.default([]),
  })
  .strict();
export type CalendarInput = z.infer<typeof calendarBody>;

export const calendarPatch = z.object(calendarFields).partial().strict();
export type CalendarPatch = z.infer<typeof calendarPatch>;

export const calendar = z.object({
  id: z.number(),
  code: z.string(),
  name: z.string(),
  timeZone: z.string(),
  workingHours,
  chineseHolidays: z.boolean(),
  extraHolidays: z.array(z.string()),
  extraWorkdays: z.array(z.string()),
  updatedAt: z.string(),
});
export type CalendarView = z.infer<typeof calendar>;

export const previewQuery = z.object({
  from: z.string().datetime({ offset: true }).describe('ISO-8601 instant, e.g. 2026-02-13T09:59:00Z'),
  minutes: z.coerce.number().min(0).max(60 * 24 * 366),
});

export const daysQuery = z
  .object({ from: isoDay, to: isoDay })
  .refine((q) => q.from <= q.to, { message: 'from must not be after to', path: ['to'] })
  .refine((q) => (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 <= 92, { message: 'at most 92 days at a time', path: ['to'] });
