import { createI18n } from 'vue-i18n';
import elEn from 'element-plus/es/locale/lang/en';
import elZhCn from 'element-plus/es/locale/lang/zh-cn';

import type { LocaleCode, LocalizedText } from '@/api/types';
import enUS from './en-US';
import zhCN, { type MessageSchema } from './zh-CN';

export const SUPPORTED_LOCALES: LocaleCode[] = ['zh-CN', 'en-US'];
export const DEFAULT_LOCALE: LocaleCode = 'zh-CN';
export const LOCALE_STORAGE_KEY = 'scrm.locale';

export function isLocale(v: unknown): v is LocaleCode {
  return typeof v === 'string' && (SUPPORTED_LOCALES as string[]).includes(v);
}

export function initialLocale(): LocaleCode {
  try {
    const saved = localStorage.getItem(LOCALE_STORAGE_KEY);
    if (isLocale(saved)) return saved;
  } catch {
    /* storage unavailable */
  }
  return DEFAULT_LOCALE;
}

export const i18n = createI18n<[MessageSchema], LocaleCode, false>({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: DEFAULT_LOCALE,
  messages: { 'zh-CN': zhCN, 'en-US': enUS },
  missingWarn: false,
  fallbackWarn: false,
});

export const elementLocales = {
  'zh-CN': elZhCn,
  'en-US': elEn,
} as const;

/** Pick the current language's string out of a `{ 'zh-CN': ..., 'en-US': ... }` object. */
export function localize(text: LocalizedText | string | null | undefined, locale: LocaleCode): string {
  if (!text) return '';
  if (typeof text === 'string') return text;
  return text[locale] ?? text[DEFAULT_LOCALE] ?? text['en-US'] ?? Object.values(text).find(Boolean) ?? '';
}
