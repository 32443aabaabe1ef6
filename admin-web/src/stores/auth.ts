import { computed, ref } from 'vue';
import { defineStore } from 'pinia';

import * as authApi from '@/api/auth';
import type { CurrentUser, Menu } from '@/api/auth';

export const TOKEN_STORAGE_KEY = 'scrm.token';

function readToken(): string | null {
  try {
    return localStorage.getItem(TOKEN_STORAGE_KEY);
  } catch {
    return null;
  }
}

function writeToken(token: string | null): void {
  try {
    if (token) localStorage.setItem(TOKEN_STORAGE_KEY, token);
    else localStorage.removeItem(TOKEN_STORAGE_KEY);
  } catch {
    /* storage unavailable: the token lives in memory only */
  }
}

export const useAuthStore = defineStore('auth', () => {
  const token = ref<string | null>(readToken());
  const expiresAt = ref<string | null>(null);
  const user = ref<CurrentUser | null>(null);
  const permissions = ref<string[]>([]);
  const menus = ref<Menu[]>([]);
  /** true once /api/auth/me has been loaded for the current token */
  const loaded = ref(false);

  const isLoggedIn = computed(() => !!token.value);
  const permissionSet = computed(() => new Set(permissions.value));

  /** Has every one of the codes (a string or a list). `*` grants everything. */
  function hasPermission(codes: string | readonly string[] | undefined | null): boolean {
    if (!codes || (Array.isArray(codes) && codes.length === 0)) return true;
    const set = permissionSet.value;
    if (set.has('*')) return true;
    const list = typeof codes === 'string' ? [codes] : codes;
    return list.every((c) => set.has(c));
  }

  /** Has at least one of the codes. */
  function hasAnyPermission(codes: readonly string[]): boolean {
    if (codes.length === 0) return true;
    return codes.some((c) => hasPermission(c));
  }

  async function login(username: string, password: string): Promise<authApi.LoginResult> {
    return acceptLogin(await authApi.login({ username, password }));
  }

  /** Takes the reply of any sign-in (password, WeCom) as the current session. */
  function acceptLogin(res: authApi.LoginResult): authApi.LoginResult {
    token.value = res.token;
    expiresAt.value = res.expiresAt;
    user.value = res.user;
    loaded.value = false;
    writeToken(res.token);
    return res;
  }

  async function fetchMe(): Promise<authApi.MeResult> {
    const me = await authApi.getMe();
    user.value = me.user;
    permissions.value = me.permissions ?? [];
    menus.value = me.menus ?? [];
    loaded.value = true;
    return me;
  }

  /** Forget the session locally (the server call is best effort). */
  function reset(): void {
    token.value = null;
    expiresAt.value = null;
    user.value = null;
    permissions.value = [];
    menus.value = [];
    loaded.value = false;
    writeToken(null);
  }

  async function logout(): Promise<void> {
    if (token.value) {
      try {
        await authApi.logout();
      } catch {
        /* the token may already be revoked; we sign out locally anyway */
      }
    }
    reset();
  }

  return {
    token,
    expiresAt,
    user,
    permissions,
    menus,
    loaded,
    isLoggedIn,
    hasPermission,
    hasAnyPermission,
    login,
    acceptLogin,
    fetchMe,
    logout,
    reset,
  };
});
