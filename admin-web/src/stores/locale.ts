import { computed, ref, watch } from 'vue';
import { defineStore } from 'pinia';

import { updateMe } from '@/api/auth';
import type { LocaleCode, LocalizedText } from '@/api/types';
import { elementLocales, i18n, initialLocale, isLocale, localize, LOCALE_STORAGE_KEY } from '@/locales';
import { useAuthStore } from './auth';

function applyToDocument(locale: LocaleCode): void {
  i18n.global.locale.value = locale;
  document.documentElement.lang = locale;
  try {
    localStorage.setItem(LOCALE_STORAGE_KEY, locale);
  } catch {
    /* ignore */
  }
}

export const useLocaleStore = defineStore('locale', () => {
  const locale = ref<LocaleCode>(initialLocale());
  /** The user picked a language before signing in: push it to the server after login. */
  const chosenBeforeLogin = ref(false);

  const elementLocale = computed(() => elementLocales[locale.value]);

  watch(locale, (l) => applyToDocument(l), { immediate: true });

  /** Switch the UI language; remembers it and, when signed in, saves it on the user. */
  async function setLocale(next: LocaleCode): Promise<void> {
    if (!isLocale(next)) return;
    const auth = useAuthStore();
    locale.value = next;
    if (auth.isLoggedIn) {
      if (auth.user) auth.user.locale = next;
      try {
        await updateMe({ locale: next });
      } catch {
        /* saved locally; the server copy is a convenience */
      }
    } else {
      chosenBeforeLogin.value = true;
    }
  }

  /** After login: keep a language picked on the login page, otherwise adopt the user's saved one. */
  async function syncAfterLogin(serverLocale: LocaleCode | null | undefined): Promise<void> {
    if (chosenBeforeLogin.value) {
      chosenBeforeLogin.value = false;
      if (serverLocale !== locale.value) {
        try {
          await updateMe({ locale: locale.value });
        } catch {
          /* ignore */
        }
      }
      return;
    }
    if (isLocale(serverLocale) && serverLocale !== locale.value) locale.value = serverLocale;
  }

  function t(text: LocalizedText | string | null | undefined): string {
    return localize(text, locale.value);
  }

  return { locale, elementLocale, setLocale, syncAfterLogin, localize: t };
});
