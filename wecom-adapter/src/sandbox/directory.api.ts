import { z } from 'zod';
import { fail } from './api-error';
import { type ApiFactory, decodeCursor, encodeCursor, offsetCursor, ok, parse, queryInt, scopes } from './api-registry';
import { userJson } from './customer-json';
import type { SandboxState } from './sandbox-state';

const departmentQuery = z.object({ id: queryInt.optional() });
const usersQuery = z.object({ department_id: queryInt, fetch_child: z.enum(['0', '1']).optional() });
const listIdBody = z.object({ cursor: z.string().optional(), limit: z.number().int().min(1).max(10000).optional() });

function departmentsOf(state: SandboxState, query: Record<string, string>) {
  const { id } = parse(departmentQuery, query);
  if (id !== undefined && !state.directory.departments.has(id)) fail('DEPARTMENT_NOT_FOUND', String(id));
  if (id !== undefined && !state.directory.departmentVisible(id)) fail('NO_PRIVILEGE', `department ${id}`);
  return state.directory.listDepartments(id).filter((d) => state.directory.departmentVisible(d.id));
}

function usersOf(state: SandboxState, query: Record<string, string>) {
  const q = parse(usersQuery, query);
  if (!state.directory.departments.has(q.department_id)) fail('DEPARTMENT_NOT_FOUND', String(q.department_id));
  if (!state.directory.departmentVisible(q.department_id)) fail('NO_PRIVILEGE', `department ${q.department_id}`);
  return state.directory.employeesIn(q.department_id, q.fetch_child === '1');
}

/** department/list, department/simplelist, user/list_id, user/simplelist, user/list, user/get. */
export const directoryApis: ApiFactory = ({ state }) => [
  {
    path: 'department/list',
    method: 'GET',
    apps: scopes.directory,
    handle: ({ query }) =>
      ok({
        department: departmentsOf(state, query).map((d) => ({ id: d.id, name: d.name, name_en: d.nameEn, department_leader: d.leaders, parentid: d.parentid, order: d.order })),
      }),
  },
  {
    path: 'department/simplelist',
    method: 'GET',
    apps: scopes.directory,
    handle: ({ query }) => ok({ department_id: departmentsOf(state, query).map((d) => ({ id: d.id, parentid: d.parentid, order: d.order })) }),
  },
  {
    path: 'user/list_id',
    method: 'POST',
    apps: scopes.contactSyncOnly,
    handle({ body }) {
      const b = parse(listIdBody, body);
      const start = decodeCursor(b.cursor, offsetCursor)?.o ?? 0;
      const limit = b.limit ?? 10000;
      const pairs = state.directory
        .activeEmployees()
        .filter((e) => state.directory.employeeVisible(e))
        .flatMap((e) => e.department.map((department) => ({ userid: e.userid, department })));
      const page = pairs.slice(start, start + limit);
      const end = start + page.length;
      return ok({ next_cursor: end < pairs.length ? encodeCursor({ o: end }) : '', dept_user: page });
    },
  },
  {
    path: 'user/simplelist',
    method: 'GET',
    apps: scopes.directory,
    handle: ({ query }) =>
      ok({ userlist: usersOf(state, query).map((e) => ({ userid: e.userid, name: e.name, department: e.department, open_userid: e.openUserid })) }),
  },
  {
    path: 'user/list',
    method: 'GET',
    apps: scopes.directory,
    handle: ({ query }) => ok({ userlist: usersOf(state, query).map((e) => userJson(state, e)) }),
  },
  {
    path: 'user/get',
    method: 'GET',
    apps: scopes.directory,
    handle({ query }) {
      const employee = state.directory.activeEmployee(query.userid ?? '') ?? fail('USER_NOT_FOUND', query.userid);
      if (!state.directory.employeeVisible(employee)) fail('NO_PRIVILEGE', `user ${employee.userid}`);
      return ok(userJson(state, employee));
    },
  },
];
