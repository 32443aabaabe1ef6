import type { ComposerTranslation } from 'vue-i18n';

import type { JourneyEvent, JourneyStage } from '@/api/journey';
import type { LocaleCode } from '@/api/types';

const DAY_MS = 24 * 3600 * 1000;
const shanghaiDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

/** The last `days` Asia/Shanghai calendar days up to today, as the funnel's default period. */
export function lastDays(days: number, now = new Date()): [string, string] {
  return [shanghaiDay.format(new Date(now.getTime() - (days - 1) * DAY_MS)), shanghaiDay.format(now)];
}

export const stageName = (stage: Pick<JourneyStage, 'nameZh' | 'nameEn'>, locale: LocaleCode | string) => (locale === 'en-US' && stage.nameEn ? stage.nameEn : stage.nameZh);

export const percent = (rate: number) => `${(rate * 100).toFixed(1)}%`;

/** A span of seconds in its largest sensible unit (minutes, hours or days, one decimal). */
export function formatSeconds(t: ComposerTranslation, seconds: number | null): string {
  if (seconds === null) return '—';
  const round = (n: number) => Math.round(n * 10) / 10;
  if (seconds < 60) return t('journey.duration.seconds', { n: seconds });
  if (seconds < 3600) return t('journey.duration.minutes', { n: round(seconds / 60) });
  if (seconds < 86_400) return t('journey.duration.hours', { n: round(seconds / 3600) });
  return t('journey.duration.days', { n: round(seconds / 86_400) });
}

/** The event of a stage in words, with its setting (which tag, stage or order). */
export function describeEvent(t: ComposerTranslation, event: JourneyEvent, names: { tag: (id: number) => string; stage: (code: string) => string }): string {
  const kind = t(`journey.events.${event.type}`);
  switch (event.type) {
    case 'first_message':
      return `${kind}（${t(event.from === 'customer' ? 'journey.fromCustomer' : 'journey.fromAny')}）`;
    case 'tag_added':
      return `${kind}（${event.tagId ? names.tag(event.tagId) : t('journey.anyTag')}）`;
    case 'stage_reached':
      return `${kind}（${names.stage(event.stage)}）`;
    case 'order_created':
      return t('journey.nthOrder', { n: event.nth });
    default:
      return kind;
  }
}
