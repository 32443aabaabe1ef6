import { WecomError, type User, type WecomClient } from '@scrm/wecom-adapter';
import type { WecomEmployeeStatus } from './directory.models';
import type { DepartmentProfile } from './department-mirror';
import type { EmployeeProfile } from './employee-apply';

/** 60011 no privilege over the member/department, 48002 API not allowed for this app, 60020 IP not allowed. */
const NO_ACCESS = new Set([60011, 48002, 60020]);
/** 60111 userid not found; 60123 / 60003 department not found. */
const USER_GONE = new Set([60111, 46004]);
const DEPARTMENT_GONE = new Set([60123, 60003]);

export const isNoAccess = (error: unknown): error is WecomError => error instanceof WecomError && NO_ACCESS.has(error.errcode);

export type ReadResult<T> = { kind: 'found'; value: T } | { kind: 'gone' } | { kind: 'hidden'; errcode: number };

const statusOf = (status: number | undefined): WecomEmployeeStatus => (status === 2 || status === 4 || status === 5 ? status : 1);

export function profileOfApiUser(user: User): EmployeeProfile {
  const departmentIds = (user.department ?? []).map(Number);
  return {
    userid: user.userid,
    name: user.name ?? user.userid,
    departmentIds,
    mainDepartmentId: user.main_department ?? departmentIds[0] ?? null,
    position: user.position || null,
    status: statusOf(user.status),
  };
}

/** Reads the employee's current state from WeCom: the source of truth for every change_contact event. */
export async function readEmployee(client: WecomClient, userid: string): Promise<ReadResult<EmployeeProfile>> {
  try {
    return { kind: 'found', value: profileOfApiUser(await client.directory.getUser(userid)) };
  } catch (error) {
    if (error instanceof WecomError && USER_GONE.has(error.errcode)) return { kind: 'gone' };
    if (isNoAccess(error)) return { kind: 'hidden', errcode: error.errcode };
    throw error;
  }
}

/** Reads one department (department/list?id= answers its subtree; the first entry with the id is it). */
export async function readDepartment(client: WecomClient, id: number): Promise<ReadResult<DepartmentProfile>> {
  try {
    const found = (await client.directory.listDepartments(id)).department.find((d) => Number(d.id) === id);
    return found ? { kind: 'found', value: { id, name: found.name, parentid: found.parentid, order: found.order } } : { kind: 'gone' };
  } catch (error) {
    if (error instanceof WecomError && DEPARTMENT_GONE.has(error.errcode)) return { kind: 'gone' };
    if (isNoAccess(error)) return { kind: 'hidden', errcode: error.errcode };
    throw error;
  }
}
