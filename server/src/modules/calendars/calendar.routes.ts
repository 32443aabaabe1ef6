import { z } from 'zod';
import { route } from '../../core/http/define-route';
import type { CalendarService } from './calendar.service';
import * as schemas from './calendar.schemas';

const tag = 'business calendars';
const day = z.object({ date: z.string(), kind: z.string(), holidayName: z.string().optional(), spans: z.array(z.tuple([z.string(), z.string()])) });

export const calendarRoutes = (calendars: CalendarService) => [
  route({ method: 'get', path: '/api/business-calendars', tag, summary: 'Business calendars', permission: 'workorder:read', response: z.array(schemas.calendar), handler: () => calendars.list() }),
  route({
    method: 'post',
    path: '/api/business-calendars',
    tag,
    summary: 'Create a business calendar',
    permission: 'workflow:manage',
    body: schemas.calendarBody,
    response: schemas.calendar,
    handler: ({ body }) => calendars.create(body),
  }),
  route({
    method: 'get',
    path: '/api/business-calendars/:code',
    tag,
    summary: 'One business calendar',
    permission: 'workorder:read',
    params: schemas.calendarCodeParams,
    response: schemas.calendar,
    handler: ({ params }) => calendars.get(params.code),
  }),
  route({
    method: 'patch',
    path: '/api/business-calendars/:code',
    tag,
    summary: 'Change working hours, holidays or extra dates',
    permission: 'workflow:manage',
    params: schemas.calendarCodeParams,
    body: schemas.calendarPatch,
    response: schemas.calendar,
    handler: ({ params, body }) => calendars.update(params.code, body),
  }),
  route({
    method: 'delete',
    path: '/api/business-calendars/:code',
    tag,
    summary: 'Delete a business calendar (not the default one)',
    permission: 'workflow:manage',
    params: schemas.calendarCodeParams,
    handler: ({ params }) => calendars.remove(params.code),
  }),
  route({
    method: 'get',
    path: '/api/business-calendars/:code/preview',
    tag,
    summary: 'Where a limit of N business minutes from an instant lands',
    permission: 'workorder:read',
    params: schemas.calendarCodeParams,
    query: schemas.previewQuery,
    response: z.object({ from: z.string(), minutes: z.number(), due: z.string() }),
    handler: ({ params, query }) => calendars.preview(params.code, new Date(query.from), query.minutes),
  }),
  route({
    method: 'get',
    path: '/api/business-calendars/:code/days',
    tag,
    summary: 'Each date in a range with its kind (workday, public holiday, make-up workday …) and working spans',
    permission: 'workorder:read',
    params: schemas.calendarCodeParams,
    query: schemas.daysQuery,
    response: z.array(day),
    handler: ({ params, query }) => calendars.days(params.code, query.from, query.to),
  }),
];
