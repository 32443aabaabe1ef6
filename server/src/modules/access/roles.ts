import { allPermissions, type Permission } from './permissions';

export const dataScopes = ['all', 'region', 'store', 'self'] as const;
export type DataScope = (typeof dataScopes)[number];

export interface BuiltinRole {
  code: string;
  name: string;
  dataScope: DataScope;
  permissions: Permission[];
}

/** Roles every installation starts with. Custom roles are built from the same permission codes. */
export const builtinRoles: BuiltinRole[] = [
  { code: 'admin', name: '系统管理员', dataScope: 'all', permissions: allPermissions },
  {
    code: 'region_manager',
    name: '区域经理',
    dataScope: 'region',
    permissions: ['org:read', 'user:read', 'customer:read', 'customer:write', 'customer:pii:read', 'customer:export', 'customer:import', 'customer:merge', 'customer:handover', 'workorder:read', 'workorder:write', 'workorder:assign', 'settlement:read', 'order:read', 'archive:read', 'engagement:read', 'engagement:manage'],
  },
  {
    code: 'store_manager',
    name: '店长',
    dataScope: 'store',
    permissions: ['org:read', 'user:read', 'customer:read', 'customer:write', 'customer:pii:read', 'customer:export', 'customer:import', 'workorder:read', 'workorder:write', 'workorder:assign', 'settlement:read', 'order:read', 'archive:read', 'engagement:read', 'engagement:manage'],
  },
  { code: 'store_staff', name: '门店员工', dataScope: 'store', permissions: ['org:read', 'customer:read', 'customer:write', 'workorder:read', 'workorder:write'] },
  { code: 'technician', name: '安装技师', dataScope: 'self', permissions: ['customer:read', 'workorder:read', 'workorder:write', 'settlement:read'] },
  { code: 'finance', name: '财务', dataScope: 'all', permissions: ['org:read', 'customer:read', 'settlement:read', 'settlement:write', 'settlement:close'] },
];

const scopeRank: Record<DataScope, number> = { self: 0, store: 1, region: 2, all: 3 };

/** Whether scope `a` reaches no further than scope `b`. */
export const scopeWithin = (a: DataScope, b: DataScope) => scopeRank[a] <= scopeRank[b];
