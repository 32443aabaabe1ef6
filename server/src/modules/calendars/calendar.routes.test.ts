import { startTestServer, type TestServer } from '../../testing/test-server';

describe('business calendars over HTTP', () => {
  let server: TestServer;
  let admin: string;
  let staff: string;

  beforeAll(async () => {
    server = await startTestServer();
    admin = await server.login('admin');
    staff = await server.login('staff_sh01');
  }, 60_000);
  afterAll(() => server?.stop());

  const lunchHours = Object.fromEntries(['1', '2', '3', '4', '5'].map((d) => [d, [['09:00', '12:00'], ['13:00', '18:00']]]));

  it('seeds the default calendar: Monday to Friday 09:00–18:00 in Asia/Shanghai with Chinese holidays', async () => {
    const reply = await server.api<{ data: Array<Record<string, unknown>> }>('GET', '/api/business-calendars', { token: staff });
    expect(reply.status).toBe(200);
    expect(reply.body.data).toEqual([
      expect.objectContaining({ code: 'default', timeZone: 'Asia/Shanghai', chineseHolidays: true, workingHours: expect.objectContaining({ '1': [['09:00', '18:00']], '5': [['09:00', '18:00']] }) }),
    ]);
    expect((reply.body.data[0]!.workingHours as Record<string, unknown>)['6']).toBeUndefined();
  });

  it('previews a 120-minute limit from 17:59 on the Friday before Spring Festival landing on the make-up Saturday', async () => {
    const reply = await server.api<{ data: { due: string } }>('GET', '/api/business-calendars/default/preview?from=2026-02-13T09:59:00Z&minutes=120', { token: staff });
    expect(reply.status).toBe(200);
    expect(reply.body.data.due).toBe('2026-02-14T02:59:00.000Z');
    expect(await server.running.services.calendars.addBusinessMinutes('default', new Date('2026-02-13T09:59:00Z'), 120)).toEqual(new Date('2026-02-14T02:59:00Z'));
    expect(await server.running.services.calendars.businessMinutesBetween('default', new Date('2026-02-13T09:59:00Z'), new Date('2026-02-14T02:59:00Z'))).toBe(120);
  });

  it('lists each day of a range with its kind and name', async () => {
    const reply = await server.api<{ data: Array<{ date: string; kind: string; holidayName?: string }> }>('GET', '/api/business-calendars/default/days?from=2026-09-30&to=2026-10-11', { token: staff });
    expect(reply.status).toBe(200);
    const kinds = Object.fromEntries(reply.body.data.map((d) => [d.date, d.kind]));
    expect(kinds).toMatchObject({ '2026-09-30': 'workday', '2026-10-01': 'public_holiday', '2026-10-10': 'make_up_workday', '2026-10-11': 'weekend' });
    expect(reply.body.data).toHaveLength(12);
  });

  it('creates, changes and deletes a calendar with lunch breaks and extra dates, and audits each change', async () => {
    const created = await server.api<{ data: { code: string; extraHolidays: string[] } }>('POST', '/api/business-calendars', {
      token: admin,
      body: { code: 'shanghai-stores', name: '上海门店', workingHours: lunchHours, extraHolidays: ['2026-03-03', '2026-03-03'], extraWorkdays: ['2026-03-07'] },
    });
    expect(created.status).toBe(200);
    expect(created.body.data).toMatchObject({ code: 'shanghai-stores', timeZone: 'Asia/Shanghai', chineseHolidays: true, extraHolidays: ['2026-03-03'] });

    // Monday 17:00 + 120 business minutes: one hour on Monday, Tuesday is an extra holiday, one hour on Wednesday.
    const preview = await server.api<{ data: { due: string } }>('GET', '/api/business-calendars/shanghai-stores/preview?from=2026-03-02T09:00:00Z&minutes=120', { token: admin });
    expect(preview.body.data.due).toBe('2026-03-04T02:00:00.000Z');

    const changed = await server.api('PATCH', '/api/business-calendars/shanghai-stores', { token: admin, body: { extraHolidays: [], name: '上海门店（新）' } });
    expect(changed.status).toBe(200);
    const after = await server.api<{ data: { due: string } }>('GET', '/api/business-calendars/shanghai-stores/preview?from=2026-03-02T09:00:00Z&minutes=120', { token: admin });
    expect(after.body.data.due).toBe('2026-03-03T02:00:00.000Z');

    expect((await server.api('DELETE', '/api/business-calendars/shanghai-stores', { token: admin })).status).toBe(200);
    expect(await server.running.services.calendars.exists('shanghai-stores')).toBe(false);
    expect(await server.running.services.calendars.exists('default')).toBe(true);

    const audit = await server.api<{ data: { items: Array<{ action: string }> } }>('GET', '/api/audit-logs?targetType=business_calendar&pageSize=50', { token: admin });
    expect(audit.body.data.items.map((i) => i.action)).toEqual(expect.arrayContaining(['business_calendar.created', 'business_calendar.updated', 'business_calendar.deleted']));
  });

  it('refuses a duplicate code, the default calendar’s deletion and unknown calendars', async () => {
    const duplicate = await server.api('POST', '/api/business-calendars', { token: admin, body: { code: 'default', name: 'x', workingHours: lunchHours } });
    expect(duplicate.status).toBe(409);
    expect((await server.api('DELETE', '/api/business-calendars/default', { token: admin })).status).toBe(409);
    expect((await server.api('GET', '/api/business-calendars/nope/preview?from=2026-03-02T09:00:00Z&minutes=1', { token: admin })).status).toBe(404);
    await expect(server.running.services.calendars.addBusinessMinutes('nope', new Date(), 1)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('answers 400 naming the field for overlapping spans, a bad time, an unknown zone or a week without hours', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ workingHours: { '1': [['09:00', '12:00'], ['11:00', '18:00']] } }, 'workingHours.1'],
      [{ workingHours: { '1': [['9am', '12:00']] } }, 'workingHours.1.0.0'],
      [{ workingHours: { '7': [['09:00', '12:00']] } }, 'workingHours'],
      [{ timeZone: 'Mars/Olympus' }, 'timeZone'],
      [{ extraHolidays: ['2026-02-30'] }, 'extraHolidays.0'],
      [{ workingHours: {} }, 'workingHours'],
    ];
    for (const [patch, path] of cases) {
      const reply = await server.api<{ details: Array<{ path: string }> }>('PATCH', '/api/business-calendars/default', { token: admin, body: patch });
      expect([reply.status, reply.body.details?.map((d) => d.path)]).toEqual([400, expect.arrayContaining([expect.stringContaining(path)])]);
    }
    const unchanged = await server.api<{ data: { workingHours: Record<string, unknown> } }>('GET', '/api/business-calendars/default', { token: admin });
    expect(unchanged.body.data.workingHours['1']).toEqual([['09:00', '18:00']]);
  });

  it('lets store staff read calendars but not change them', async () => {
    expect((await server.api('PATCH', '/api/business-calendars/default', { token: staff, body: { name: 'x' } })).status).toBe(403);
    expect((await server.api('POST', '/api/business-calendars', { token: staff, body: { code: 'x', name: 'x', workingHours: lunchHours } })).status).toBe(403);
    expect((await server.api('GET', '/api/business-calendars/default', { token: staff })).status).toBe(200);
  });
});
