import { type PageOptions, paginate } from './paginate';
import { type WecomCall } from './request-runner';
import {
  type DeptUser,
  type DepartmentListResponse,
  type DepartmentSimpleListResponse,
  type UserGetResponse,
  type UserListIdRequest,
  type UserListIdResponse,
  type UserListResponse,
  type UserSimpleListResponse,
} from './directory.types';

/** Directory calls use the contact (通讯录同步) app's token. */
export function createDirectoryApi(call: WecomCall) {
  const app = 'contact' as const;
  const listUserIds = async (req: UserListIdRequest = {}) => {
    const res = await call<UserListIdResponse>({ app, api: 'user/list_id', method: 'POST', body: req });
    return { ...res, dept_user: res.dept_user ?? [], next_cursor: res.next_cursor ?? '' };
  };

  return {
    /** department/list: the department and its children, recursively (all when `id` is absent). */
    async listDepartments(id?: number) {
      const res = await call<DepartmentListResponse>({ app, api: 'department/list', method: 'GET', query: { id } });
      return { ...res, department: res.department ?? [] };
    },
    /** department/simplelist: ids, parents and order only. */
    async listDepartmentIds(id?: number) {
      const res = await call<DepartmentSimpleListResponse>({ app, api: 'department/simplelist', method: 'GET', query: { id } });
      return { ...res, department_id: res.department_id ?? [] };
    },
    /** user/list_id: one page of (userid, department) pairs. */
    listUserIds,
    /** Every (userid, department) pair, following next_cursor. */
    listUserIdsAll(options: { limit?: number } & PageOptions<DeptUser> = {}) {
      return paginate(async (cursor) => {
        const res = await listUserIds({ cursor, limit: options.limit ?? 10_000 });
        return { items: res.dept_user, nextCursor: res.next_cursor };
      }, options);
    },
    /** user/simplelist: members of one department. */
    async listUsersSimple(departmentId: number) {
      const query = { department_id: departmentId };
      const res = await call<UserSimpleListResponse>({ app, api: 'user/simplelist', method: 'GET', query });
      return { ...res, userlist: res.userlist ?? [] };
    },
    /** user/list: members of one department with their full profile. */
    async listUsers(departmentId: number) {
      const res = await call<UserListResponse>({ app, api: 'user/list', method: 'GET', query: { department_id: departmentId } });
      return { ...res, userlist: res.userlist ?? [] };
    },
    /** user/get: one member's profile. */
    getUser(userid: string) {
      return call<UserGetResponse>({ app, api: 'user/get', method: 'GET', query: { userid } });
    },
  };
}

export type DirectoryApi = ReturnType<typeof createDirectoryApi>;
