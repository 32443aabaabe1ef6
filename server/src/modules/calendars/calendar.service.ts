import { UniqueConstraintError } from 'sequelize';
import type { Database } from '../../core/db/database';
import type { Models } from '../../core/db/models';
import { AppError, conflict, notFound, validationFailed } from '../../core/errors';
import type { AuditService } from '../audit/audit.service';
import { businessDay, type CalendarSpec } from './business-day';
import { addBusinessMinutes, businessMinutesBetween, NoWorkingTimeError } from './business-time';
import type { BusinessCalendarRow } from './calendar.models';
import type { CalendarInput, CalendarPatch, CalendarView } from './calendar.schemas';
import { addDays, type LocalDate } from './zoned-time';

/** How long a calendar read from the database is reused; edits on this instance apply at once. */
const CACHE_MS = 10_000;

const parseList = (text: string): string[] => (JSON.parse(text || '[]') as string[]).slice().sort();

const specOf = (row: BusinessCalendarRow): CalendarSpec => ({
  timeZone: row.time_zone,
  workingHours: JSON.parse(row.working_hours) as CalendarSpec['workingHours'],
  chineseHolidays: Boolean(row.chinese_holidays),
  extraHolidays: parseList(row.extra_holidays),
  extraWorkdays: parseList(row.extra_workdays),
});

const present = (row: BusinessCalendarRow): CalendarView => {
  const spec = specOf(row);
  return {
    id: Number(row.id),
    code: row.code,
    name: row.name,
    timeZone: spec.timeZone,
    workingHours: spec.workingHours as CalendarView['workingHours'],
    chineseHolidays: spec.chineseHolidays,
    extraHolidays: spec.extraHolidays,
    extraWorkdays: spec.extraWorkdays,
    updatedAt: new Date(row.updated_at).toISOString(),
  };
};

const auditView = (view: CalendarView) => {
  const { id: _id, updatedAt: _updatedAt, ...rest } = view;
  return rest;
};

const columnsOf = (input: CalendarPatch) => ({
  ...(input.name !== undefined && { name: input.name }),
  ...(input.timeZone !== undefined && { time_zone: input.timeZone }),
  ...(input.workingHours !== undefined && { working_hours: JSON.stringify(input.workingHours) }),
  ...(input.chineseHolidays !== undefined && { chinese_holidays: input.chineseHolidays }),
  ...(input.extraHolidays !== undefined && { extra_holidays: JSON.stringify([...new Set(input.extraHolidays)].sort()) }),
  ...(input.extraWorkdays !== undefined && { extra_workdays: JSON.stringify([...new Set(input.extraWorkdays)].sort()) }),
});

function checkUsable(view: Pick<CalendarView, 'workingHours' | 'extraHolidays' | 'extraWorkdays'>) {
  if (!Object.values(view.workingHours).some((spans) => spans?.length)) {
    throw validationFailed([{ path: 'workingHours', message: 'at least one weekday needs working hours' }]);
  }
  const both = view.extraHolidays.filter((day) => view.extraWorkdays.includes(day));
  if (both.length) throw validationFailed([{ path: 'extraWorkdays', message: `listed as both extra holiday and extra workday: ${both.join(', ')}` }]);
}

const parseDay = (text: string): LocalDate => {
  const [year, month, day] = text.split('-').map(Number);
  return { year: year!, month: month!, day: day! };
};

/**
 * Business calendars: working hours per weekday in a named time zone, Chinese public holidays and
 * 调休 make-up workdays, extra dates; and the business-time math over them.
 */
export function createCalendarService(deps: { db: Database; models: Models; audit: AuditService }) {
  const { db, models, audit } = deps;
  const cache = new Map<string, { spec: CalendarSpec; at: number }>();

  async function rowOf(code: string): Promise<BusinessCalendarRow> {
    const row = await models.BusinessCalendar.findOne({ where: { code }, raw: true });
    if (!row) throw notFound('business calendar', code);
    return row;
  }

  async function spec(code: string): Promise<CalendarSpec> {
    const cached = cache.get(code);
    if (cached && Date.now() - cached.at < CACHE_MS) return cached.spec;
    const fresh = specOf(await rowOf(code));
    cache.set(code, { spec: fresh, at: Date.now() });
    return fresh;
  }

  const noWorkingTime = (code: string, error: unknown) =>
    error instanceof NoWorkingTimeError ? conflict(`business calendar ${code} has no working time within three years`) : error;

  return {
    async list(): Promise<CalendarView[]> {
      const rows = await models.BusinessCalendar.findAll({ order: [['code', 'ASC']], raw: true });
      return rows.map(present);
    },

    async get(code: string): Promise<CalendarView> {
      return present(await rowOf(code));
    },

    async exists(code: string): Promise<boolean> {
      return (await models.BusinessCalendar.count({ where: { code } })) > 0;
    },

    async create(input: CalendarInput): Promise<CalendarView> {
      checkUsable(input);
      try {
        return await db.transaction(async (tx) => {
          const created = await models.BusinessCalendar.create({ code: input.code, ...(columnsOf(input) as Required<ReturnType<typeof columnsOf>>) }, { transaction: tx });
          const view = present(created.get({ plain: true }));
          await audit.record({ action: 'business_calendar.created', targetType: 'business_calendar', targetId: view.id, after: auditView(view) }, tx);
          return view;
        });
      } catch (error) {
        if (error instanceof UniqueConstraintError) throw conflict(`a business calendar with code ${input.code} exists already`);
        throw error;
      }
    },

    async update(code: string, patch: CalendarPatch): Promise<CalendarView> {
      const view = await db.transaction(async (tx) => {
        const row = await models.BusinessCalendar.findOne({ where: { code }, raw: true, transaction: tx });
        if (!row) throw notFound('business calendar', code);
        const before = present(row);
        checkUsable({ ...before, ...patch });
        await models.BusinessCalendar.update(columnsOf(patch), { where: { id: row.id }, transaction: tx });
        const after = present((await models.BusinessCalendar.findByPk(row.id, { raw: true, transaction: tx }))!);
        await audit.record({ action: 'business_calendar.updated', targetType: 'business_calendar', targetId: after.id, before: auditView(before), after: auditView(after) }, tx);
        return after;
      });
      cache.delete(code);
      return view;
    },

    async remove(code: string): Promise<void> {
      if (code === 'default') throw new AppError('CONFLICT', 'the default calendar cannot be deleted');
      await db.transaction(async (tx) => {
        const row = await models.BusinessCalendar.findOne({ where: { code }, raw: true, transaction: tx });
        if (!row) throw notFound('business calendar', code);
        await models.BusinessCalendar.destroy({ where: { id: row.id }, transaction: tx });
        await audit.record({ action: 'business_calendar.deleted', targetType: 'business_calendar', targetId: Number(row.id), before: auditView(present(row)) }, tx);
      });
      cache.delete(code);
    },

    /** The instant `minutes` business minutes after `from` on calendar `code`. */
    async addBusinessMinutes(code: string, from: Date, minutes: number): Promise<Date> {
      const calendar = await spec(code);
      try {
        return addBusinessMinutes(calendar, from, minutes);
      } catch (error) {
        throw noWorkingTime(code, error);
      }
    },

    /** Business minutes (fractional) from `from` to `to` on calendar `code`; negative when `to` is earlier. */
    async businessMinutesBetween(code: string, from: Date, to: Date): Promise<number> {
      return businessMinutesBetween(await spec(code), from, to);
    },

    /** What the console's preview shows: where a limit lands and each day between. */
    async preview(code: string, from: Date, minutes: number) {
      const due = await this.addBusinessMinutes(code, from, minutes);
      return { from: from.toISOString(), minutes, due: due.toISOString() };
    },

    /** Each date from `from` to `to` (YYYY-MM-DD, inclusive) with its kind and working spans. */
    async days(code: string, from: string, to: string) {
      const calendar = await spec(code);
      const days = [];
      for (let date = parseDay(from); ; date = addDays(date, 1)) {
        const day = businessDay(calendar, date);
        days.push(day);
        if (day.date >= to) break;
      }
      return days;
    },
  };
}

export type CalendarService = ReturnType<typeof createCalendarService>;
