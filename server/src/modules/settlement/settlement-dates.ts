/**
 * Business dates of settlement are Asia/Shanghai calendar dates (UTC+8 all year, no daylight saving),
 * periods are calendar months of that zone.
 */
import { shanghaiDate, shanghaiDayStart } from '../../core/time/business-time';

export { shanghaiDate, shanghaiDayStart };

export const periodCodeOf = (date: string): string => date.slice(0, 7);

export function periodBounds(code: string): { startsOn: string; endsOn: string } {
  const [year, month] = code.split('-').map(Number) as [number, number];
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return { startsOn: `${code}-01`, endsOn: `${code}-${String(lastDay).padStart(2, '0')}` };
}

export function nextPeriodCode(code: string): string {
  const [year, month] = code.split('-').map(Number) as [number, number];
  return month === 12 ? `${year + 1}-01` : `${year}-${String(month + 1).padStart(2, '0')}`;
}

export function previousPeriodCode(code: string): string {
  const [year, month] = code.split('-').map(Number) as [number, number];
  return month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`;
}
