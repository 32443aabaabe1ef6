import { startTestServer, type TestServer } from '../../testing/test-server';
import { createOrder, oneTaskFlow, publishFlow, storeIdOf } from './work-order-test-kit';

/** A wall-clock time in Beijing. */
const cst = (text: string) => new Date(`${text}+08:00`);
const officeHours = Object.fromEntries(['1', '2', '3', '4', '5'].map((day) => [day, [['09:00', '18:00']]]));

/** Only `Date` is faked: the server's sockets, database drivers and timers keep running on real time. */
const clockAt = (at: Date) => jest.setSystemTime(at);

describe('pausing a work order on business time', () => {
  let server: TestServer;
  let staff: string;
  let sh01: number;

  beforeAll(async () => {
    server = await startTestServer({ env: { JOB_WORKER_ENABLED: 'false' } });
    const admin = await server.login('admin');
    staff = await server.login('staff_sh01');
    sh01 = await storeIdOf(server, 'SH01');
    for (const [code, extraHolidays] of [
      ['pause_office', []],
      ['pause_holiday', ['2026-11-09']],
    ] as const) {
      const created = await server.api('POST', '/api/business-calendars', { token: admin, body: { code, name: code, workingHours: officeHours, chineseHolidays: false, extraHolidays } });
      expect(created.status).toBe(200);
      await publishFlow(
        server,
        admin,
        `wo_${code}`,
        oneTaskFlow({
          assignee: { strategy: 'role', roleCode: 'technician' },
          timeLimit: { minutes: 600, calendar: code },
          escalations: [
            { afterMinutes: 570, action: 'remind_assignee' },
            { atPercent: 100, action: 'notify_store_manager' },
          ],
        }),
      );
    }
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'clearImmediate', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'queueMicrotask', 'hrtime', 'performance'] });
  });
  afterAll(async () => {
    jest.useRealTimers();
    await server.stop();
  });

  /** Opens an order at Friday 09:00, pauses it at 17:00 and resumes it at `resumeAt`; returns the order's and its timers' due times. */
  async function pauseOverWeekend(flowCode: string, resumeAt: Date) {
    const { timers } = server.running.services;
    clockAt(cst('2026-11-06T09:00:00'));
    const order = await createOrder(server, staff, { flowCode, storeId: sh01 });
    const dueBefore = (await timers.forSubject({ subjectType: 'work_order', subjectId: order.id })).map((t) => t.dueAt).sort();
    clockAt(cst('2026-11-06T17:00:00'));
    expect((await server.api('POST', `/api/work-orders/${order.id}/pause`, { token: staff, body: { lockVersion: 0, status: 'waiting_parts' } })).status).toBe(200);
    clockAt(resumeAt);
    const resumed = await server.api<{ data: { nodeDueAt: string } }>('POST', `/api/work-orders/${order.id}/resume`, { token: staff, body: { lockVersion: 1 } });
    expect(resumed.status).toBe(200);
    const pending = (await timers.forSubject({ subjectType: 'work_order', subjectId: order.id })).filter((t) => t.status === 'pending');
    return { dueBefore: { order: order.nodeDueAt, timers: dueBefore }, dueAfter: { order: resumed.body.data.nodeDueAt, timers: pending.map((t) => t.dueAt).sort() } };
  }

  it('gives back only the business minutes left at the pause: paused Friday 17:00, resumed Monday 09:00', async () => {
    const { dueBefore, dueAfter } = await pauseOverWeekend('wo_pause_office', cst('2026-11-09T09:00:00'));
    // 600 business minutes from Friday 09:00: the 540 of Friday, then 60 on Monday.
    expect(dueBefore).toEqual({ order: cst('2026-11-09T10:00:00').toISOString(), timers: [cst('2026-11-09T09:30:00').toISOString(), cst('2026-11-09T10:00:00').toISOString()] });
    // At the pause 120 minutes were left (and 90 for the 570-minute reminder): counted again from Monday 09:00.
    // The plain clock would have pushed the limit by the 64 paused hours, to Thursday 02:00.
    expect(dueAfter).toEqual({ order: cst('2026-11-09T11:00:00').toISOString(), timers: [cst('2026-11-09T10:30:00').toISOString(), cst('2026-11-09T11:00:00').toISOString()] });
  });

  it('does not count a public holiday during the pause', async () => {
    // Monday 2026-11-09 is a holiday on this calendar: the limit lands on Tuesday, and so does the resumed one.
    const { dueBefore, dueAfter } = await pauseOverWeekend('wo_pause_holiday', cst('2026-11-09T15:00:00'));
    expect(dueBefore.order).toBe(cst('2026-11-10T10:00:00').toISOString());
    expect(dueAfter).toEqual({ order: cst('2026-11-10T11:00:00').toISOString(), timers: [cst('2026-11-10T10:30:00').toISOString(), cst('2026-11-10T11:00:00').toISOString()] });
  });
});
