import { http } from './request';

/** "HH:MM" start and end of one working span. */
export type TimeSpan = [string, string];
/** Keyed by weekday: "0" = Sunday … "6" = Saturday. */
export type WorkingHours = Partial<Record<string, TimeSpan[]>>;

export interface BusinessCalendar {
  id: number;
  code: string;
  name: string;
  timeZone: string;
  workingHours: WorkingHours;
  chineseHolidays: boolean;
  extraHolidays: string[];
  extraWorkdays: string[];
  updatedAt: string;
}

export type CalendarInput = Omit<BusinessCalendar, 'id' | 'updatedAt'>;

export type DayKind = 'workday' | 'weekend' | 'public_holiday' | 'make_up_workday' | 'extra_holiday' | 'extra_workday';

export interface CalendarDay {
  date: string;
  kind: DayKind;
  holidayName?: string;
  spans: TimeSpan[];
}

export interface CalendarPreview {
  from: string;
  minutes: number;
  due: string;
}

const path = (code: string) => `/api/business-calendars/${encodeURIComponent(code)}`;

export const listCalendars = () => http.get<BusinessCalendar[]>('/api/business-calendars');
export const createCalendar = (body: CalendarInput) => http.post<BusinessCalendar>('/api/business-calendars', body);
export const updateCalendar = (code: string, body: Partial<Omit<CalendarInput, 'code'>>) => http.patch<BusinessCalendar>(path(code), body);
export const deleteCalendar = (code: string) => http.delete<null>(path(code));
export const previewCalendar = (code: string, from: string, minutes: number) => http.get<CalendarPreview>(`${path(code)}/preview`, { from, minutes });
export const calendarDays = (code: string, from: string, to: string) => http.get<CalendarDay[]>(`${path(code)}/days`, { from, to });
