import { BUSINESS_TIME_ZONE } from '../../../core/jobs/scheduler';
import type { ScheduleSlot } from './contact-way.schemas';

const weekdayNumber: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };
const clock = new Intl.DateTimeFormat('en-US', { timeZone: BUSINESS_TIME_ZONE, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** Weekday (1 = Monday) and HH:mm of an instant in Asia/Shanghai. */
export function shanghaiClock(at: Date): { weekday: number; time: string } {
  const parts = Object.fromEntries(clock.formatToParts(at).map((p) => [p.type, p.value]));
  return { weekday: weekdayNumber[parts.weekday ?? 'Mon'] ?? 1, time: `${parts.hour}:${parts.minute}` };
}

export interface StaffPlan {
  users: string[];
  backupUsers: string[];
  schedule: ScheduleSlot[];
}

/**
 * Who a contact way should route to now: the members of the slots covering this weekday and time
 * (the plain member list when there is no schedule), leaving out members who are not active; when
 * nobody is left, the active backup staff; when those are gone too, the plain list (WeCom needs one).
 */
export function staffOnDuty(plan: StaffPlan, at: Date, isActive: (userid: string) => boolean): string[] {
  const now = shanghaiClock(at);
  const scheduled = plan.schedule.length
    ? plan.schedule.filter((s) => s.weekdays.includes(now.weekday) && s.from <= now.time && now.time < s.to).flatMap((s) => s.users)
    : plan.users;
  const onDuty = [...new Set(scheduled)].filter(isActive);
  if (onDuty.length) return onDuty;
  const backup = [...new Set(plan.backupUsers)].filter(isActive);
  return backup.length ? backup : [...new Set(plan.users)];
}
