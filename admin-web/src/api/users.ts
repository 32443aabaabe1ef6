import type { RoleRef } from './auth';
import { http } from './request';
import { cleanParams, type PageQuery, type PageResult, toPage } from './types';

export type UserStatus = 'active' | 'disabled';

export interface User {
  id: number;
  username: string;
  displayName: string;
  phone: string | null;
  role: RoleRef;
  regionId: number | null;
  storeId: number | null;
  storeName: string | null;
  status: UserStatus;
  lastLoginAt: string | null;
  createdAt: string;
}

export interface UserCreateInput {
  username: string;
  displayName: string;
  password: string;
  roleId: number;
  regionId?: number | null;
  storeId?: number | null;
  phone?: string;
}

export interface UserUpdateInput {
  displayName?: string;
  roleId?: number;
  regionId?: number | null;
  storeId?: number | null;
  status?: UserStatus;
  password?: string;
  phone?: string | null;
}

export interface UserQuery extends PageQuery {
  q?: string;
  roleId?: number;
  storeId?: number;
}

export const listUsers = async (query: UserQuery = {}): Promise<PageResult<User>> =>
  toPage(await http.get<PageResult<User> | User[]>('/api/users', cleanParams(query)), query);
export const createUser = (body: UserCreateInput) => http.post<User>('/api/users', body);
export const updateUser = (id: number, body: UserUpdateInput) => http.patch<User>(`/api/users/${id}`, body);
export const revokeUserSessions = (id: number) => http.post<unknown>(`/api/users/${id}/revoke-sessions`);
