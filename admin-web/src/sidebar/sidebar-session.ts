/**
 * The sidebar's own sign-in, kept apart from the console's: the token lives in sessionStorage
 * (one WeCom webview, or one stand-in tab), so a console open in the same browser is untouched.
 */
export const SIDEBAR_TOKEN_KEY = 'scrm.sidebar.token';

export const sidebarToken = {
  get(): string | null {
    try {
      return sessionStorage.getItem(SIDEBAR_TOKEN_KEY);
    } catch {
      return memory;
    }
  },
  set(token: string): void {
    memory = token;
    try {
      sessionStorage.setItem(SIDEBAR_TOKEN_KEY, token);
    } catch {
      /* storage unavailable: memory only */
    }
  },
  clear(): void {
    memory = null;
    try {
      sessionStorage.removeItem(SIDEBAR_TOKEN_KEY);
    } catch {
      /* nothing stored */
    }
  },
};
let memory: string | null = null;

/** This page's address without the OAuth `code` and `state` WeCom appended. */
export function pageUrlWithoutOauth(href = window.location.href): string {
  const url = new URL(href);
  url.searchParams.delete('code');
  url.searchParams.delete('state');
  url.searchParams.delete('appid');
  url.hash = '';
  return url.toString();
}

/** `code` and `state` when WeCom's OAuth page just sent the browser back here. */
export function oauthReturn(href = window.location.href): { code: string; state: string } | null {
  const params = new URL(href).searchParams;
  const code = params.get('code');
  const state = params.get('state');
  return code && state ? { code, state } : null;
}
