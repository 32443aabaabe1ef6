import { ref, shallowRef } from 'vue';

import type { MeResult } from '@/api/auth';
import { isApiError } from '@/api/request';
import { getSidebarConfig, getSidebarMe, getWecomAuthorizeUrl, wecomLogin } from '@/api/sidebar';
import { mobileToken } from './mobile-session';

export type SignInState = { kind: 'loading' } | { kind: 'redirecting' } | { kind: 'ready' } | { kind: 'failed'; reason: 'notConnected' | 'signInFailed'; detail: string };

/** This address without the `code`, `state` and `appid` WeCom's OAuth page appended (the #route stays). */
function withoutOauth(href: string): string {
  const url = new URL(href);
  for (const key of ['code', 'state', 'appid']) url.searchParams.delete(key);
  return url.toString();
}

/**
 * WeCom OAuth sign-in of the technician page: back from WeCom with ?code=&state= → our token;
 * a stored token that still works → signed in; otherwise off to WeCom's authorize page (in the
 * sandbox, a page to pick the employee).
 */
export function useMobileSignIn() {
  const state = shallowRef<SignInState>({ kind: 'loading' });
  const me = ref<MeResult | null>(null);

  async function start(): Promise<void> {
    state.value = { kind: 'loading' };
    try {
      const { mode } = await getSidebarConfig();
      if (mode === 'unconfigured') {
        state.value = { kind: 'failed', reason: 'notConnected', detail: '' };
        return;
      }
    } catch (e) {
      state.value = { kind: 'failed', reason: 'notConnected', detail: e instanceof Error ? e.message : String(e) };
      return;
    }
    try {
      const params = new URL(window.location.href).searchParams;
      const code = params.get('code');
      const oauthState = params.get('state');
      if (code && oauthState) {
        mobileToken.set((await wecomLogin({ code, state: oauthState })).token);
        window.history.replaceState(null, '', withoutOauth(window.location.href));
      }
      if (mobileToken.get()) {
        try {
          me.value = await getSidebarMe();
          state.value = { kind: 'ready' };
          return;
        } catch (e) {
          if (code || !isApiError(e) || e.status !== 401) throw e;
          mobileToken.clear();
        }
      }
      const { url } = await getWecomAuthorizeUrl(withoutOauth(window.location.href));
      state.value = { kind: 'redirecting' };
      window.location.replace(url);
    } catch (e) {
      state.value = { kind: 'failed', reason: 'signInFailed', detail: isApiError(e) ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e) };
    }
  }

  function signOut() {
    mobileToken.clear();
    void start();
  }

  return { state, me, start, signOut };
}
