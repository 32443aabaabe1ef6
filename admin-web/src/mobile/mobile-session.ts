/**
 * The technician page's sign-in, kept apart from the console's: its own key in localStorage (a
 * technician opens the page from WeCom messages many times a day and should stay signed in).
 */
export const MOBILE_TOKEN_KEY = 'scrm.mobile.token';

let memory: string | null = null;

export const mobileToken = {
  get(): string | null {
    try {
      return localStorage.getItem(MOBILE_TOKEN_KEY) ?? memory;
    } catch {
      return memory;
    }
  },
  set(token: string): void {
    memory = token;
    try {
      localStorage.setItem(MOBILE_TOKEN_KEY, token);
    } catch {
      /* storage unavailable: memory only */
    }
  },
  clear(): void {
    memory = null;
    try {
      localStorage.removeItem(MOBILE_TOKEN_KEY);
    } catch {
      /* nothing stored */
    }
  },
};
