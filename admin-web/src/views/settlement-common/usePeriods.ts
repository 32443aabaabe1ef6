import { computed, ref, shallowRef } from 'vue';

import { listPeriods, type Period, type PeriodStatus } from '@/api/settlement';

/** "2026-10" for the month before today in Asia/Shanghai, where periods are cut. */
export function lastMonthCode(now = new Date()): string {
  const [year, month] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).format(now).split('-').map(Number) as [number, number];
  return month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`;
}

/** Today's date in Asia/Shanghai as YYYY-MM-DD. */
export const shanghaiToday = (now = new Date()): string => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(now);

export const periodTagType = (status: PeriodStatus) => ({ open: 'primary', closing: 'warning', closed: 'success' })[status] as 'primary' | 'warning' | 'success';

/** The periods, newest first, and the one a page should start on (last month if there is one). */
export function usePeriods() {
  const periods = shallowRef<Period[]>([]);
  const loading = ref(false);
  async function load(): Promise<void> {
    loading.value = true;
    try {
      periods.value = [...(await listPeriods())].sort((a, b) => b.startsOn.localeCompare(a.startsOn));
    } catch {
      periods.value = [];
    } finally {
      loading.value = false;
    }
  }
  const defaultPeriod = computed(() => periods.value.find((p) => p.code === lastMonthCode()) ?? periods.value[0] ?? null);
  const byId = (id: number | undefined) => periods.value.find((p) => p.id === id) ?? null;
  return { periods, loading, load, defaultPeriod, byId };
}
