import type { LoginResult } from './auth';
import { http } from './request';
import { cleanParams, type PageQuery, type PageResult } from './types';

export interface DepartmentMapping {
  storeId: number | null;
  storeName: string | null;
  roleId: number;
  roleName: string;
}

export interface DepartmentNode {
  wecomId: number;
  name: string;
  parentId: number | null;
  order: number;
  visible: boolean;
  mapping: DepartmentMapping | null;
  /** The mapping in force: this department's own or the nearest mapped ancestor's. */
  effective: { fromWecomId: number; storeId: number | null; roleId: number } | null;
  employeeCount: number;
  children: DepartmentNode[];
}

export interface MappingInput {
  storeId: number | null;
  roleId: number;
}

export interface MappingResult {
  wecomId: number;
  storeId: number | null;
  roleId: number | null;
  applied: { created: number; updated: number; disabled: number; left: number; unmapped: number; unchanged: number; customersMoved: number };
}

export interface DirectoryEmployee {
  userid: string;
  name: string;
  position: string | null;
  /** 1 active, 2 disabled, 4 not activated, 5 left. */
  wecomStatus: number;
  leftAt: string | null;
  mainDepartmentId: number | null;
  departments: Array<{ wecomId: number; name: string | null }>;
  user: { id: number; username: string; status: string; role: { id: number; code: string; name: string }; storeId: number | null; storeName: string | null } | null;
}

export interface EmployeeQuery extends PageQuery {
  q?: string;
  departmentId?: number;
  state?: 'linked' | 'unlinked' | 'left';
}

export interface DirectorySyncRun {
  id: number;
  status: 'running' | 'done' | 'failed';
  trigger: string;
  processed: number;
  report: {
    departments?: { seen: number; created: number; updated: number; hidden: number };
    employees?: { seen: number; created: number; updated: number; disabled: number; left: number; unmapped: number; unchanged: number };
    customersMoved?: number;
    skipped?: { departments: Array<{ id: number; errcode: number }>; employees: Array<{ userid: string; errcode: number }> };
  } | null;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
}

export const listDepartments = () => http.get<DepartmentNode[]>('/api/wecom/directory/departments');
export const setDepartmentMapping = (wecomId: number, body: MappingInput) => http.put<MappingResult>(`/api/wecom/directory/departments/${wecomId}/mapping`, body);
export const clearDepartmentMapping = (wecomId: number) => http.delete<MappingResult>(`/api/wecom/directory/departments/${wecomId}/mapping`);
export const listDirectoryEmployees = (query: EmployeeQuery = {}) => http.get<PageResult<DirectoryEmployee>>('/api/wecom/directory/employees', cleanParams(query));
export const getDirectorySync = () => http.get<DirectorySyncRun | null>('/api/wecom/directory/sync');
export const startDirectorySync = () => http.post<{ id: number; status: string }>('/api/wecom/directory/sync');

/** The WeCom page that signs a member in and comes back to `redirect` with ?code=&state=. */
export const getWecomAuthorizeUrl = (redirect: string, mode: 'oauth' | 'qr') =>
  http.get<{ url: string }>('/api/auth/wecom/authorize-url', { redirect, mode }, { silent: true, skipAuthRedirect: true });

export const wecomLogin = (body: { code: string; state: string }) =>
  http.post<LoginResult>('/api/auth/wecom/login', body, { silent: true, skipAuthRedirect: true });
