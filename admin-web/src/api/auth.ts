import { http } from './request';
import type { DataScope, LocaleCode, LocalizedText } from './types';

export interface RoleRef {
  id: number;
  code: string;
  name: string;
}

export interface CurrentUser {
  id: number;
  username: string;
  displayName: string;
  locale: LocaleCode | null;
  role: RoleRef;
  dataScope: DataScope;
  regionId: number | null;
  storeId: number | null;
}

export interface Menu {
  key: string;
  title: LocalizedText;
  /** groups have no path */
  path?: string;
  icon?: string;
  component?: string;
  /** routed, but not shown in the navigation (detail pages) */
  hidden?: boolean;
  children?: Menu[];
}

export interface LoginResult {
  token: string;
  expiresAt: string;
  user: CurrentUser;
}

export interface MeResult {
  user: CurrentUser;
  permissions: string[];
  menus: Menu[];
}

export const login = (body: { username: string; password: string }) =>
  http.post<LoginResult>('/api/auth/login', body, { silent: true, skipAuthRedirect: true });

export const logout = () => http.post<null>('/api/auth/logout', undefined, { silent: true, skipAuthRedirect: true });

export const getMe = () => http.get<MeResult>('/api/auth/me', undefined, { silent: true });

export const updateMe = (body: { locale: LocaleCode }) => http.patch<unknown>('/api/auth/me', body, { silent: true });
