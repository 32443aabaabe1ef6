/** Directory (通讯录) shapes, PROTOCOL §4.4. Lenient: WeCom omits fields the app may not see. */

export interface Department {
  id: number;
  name?: string;
  name_en?: string;
  department_leader?: string[];
  parentid?: number;
  order?: number;
}

export interface DepartmentRef {
  id: number;
  parentid?: number;
  order?: number;
}

export interface DepartmentListResponse {
  department: Department[];
}

export interface DepartmentSimpleListResponse {
  department_id: DepartmentRef[];
}

export interface UserListIdRequest {
  cursor?: string;
  /** 1..10,000. */
  limit?: number;
}

export interface DeptUser {
  userid: string;
  department: number;
}

export interface UserListIdResponse {
  next_cursor?: string;
  dept_user: DeptUser[];
}

export interface SimpleUser {
  userid: string;
  name?: string;
  department?: number[];
  open_userid?: string;
}

export interface UserSimpleListResponse {
  userlist: SimpleUser[];
}

/** Full member profile (user/get, user/list); most fields depend on the app's permissions. */
export interface User extends SimpleUser {
  order?: number[];
  position?: string;
  mobile?: string;
  gender?: string;
  email?: string;
  biz_mail?: string;
  is_leader_in_dept?: number[];
  direct_leader?: string[];
  avatar?: string;
  thumb_avatar?: string;
  telephone?: string;
  alias?: string;
  address?: string;
  /** 1 active, 2 disabled, 4 not activated, 5 left. */
  status?: number;
  main_department?: number;
  qr_code?: string;
  external_position?: string;
  extattr?: { attrs?: unknown[] };
  external_profile?: Record<string, unknown>;
}

export interface UserListResponse {
  userlist: User[];
}

export type UserGetResponse = User;
