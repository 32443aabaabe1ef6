import { http } from './request';
import { type DataScope, type PageQuery, type PageResult, toPage } from './types';

export interface Role {
  id: number;
  code: string;
  name: string;
  builtin: boolean;
  dataScope: DataScope;
  permissions: string[];
}

export interface RoleInput {
  code: string;
  name: string;
  dataScope: DataScope;
  permissions: string[];
}

export interface RoleQuery extends PageQuery {
  q?: string;
}

/** The server returns every role (a plain array); no server-side filters. */
export const listRoles = async (query: RoleQuery = {}): Promise<PageResult<Role>> =>
  toPage(await http.get<PageResult<Role> | Role[]>('/api/roles'), query);
export const createRole = (body: RoleInput) => http.post<Role>('/api/roles', body);
export const updateRole = (id: number, body: Partial<Omit<RoleInput, 'code'>>) => http.patch<Role>(`/api/roles/${id}`, body);
export const deleteRole = (id: number) => http.delete<null>(`/api/roles/${id}`);
