import type { Permission } from '../../../server/src/modules/access/permissions';

/** Permission codes the console checks; typed against the server's catalogue so a renamed code fails to compile. */
export const P = {
  orgRead: 'org:read',
  orgWrite: 'org:write',
  userRead: 'user:read',
  userWrite: 'user:write',
  roleRead: 'role:read',
  roleWrite: 'role:write',
  customerRead: 'customer:read',
  customerWrite: 'customer:write',
  customerPii: 'customer:pii:read',
  customerExport: 'customer:export',
  customerImport: 'customer:import',
  customerMerge: 'customer:merge',
  customerHandover: 'customer:handover',
  customerConfig: 'customer:config',
  directoryManage: 'directory:manage',
  workorderRead: 'workorder:read',
  workorderWrite: 'workorder:write',
  workorderAssign: 'workorder:assign',
  workflowManage: 'workflow:manage',
  auditRead: 'audit:read',
  jobRead: 'job:read',
  jobRetry: 'job:retry',
  systemSettings: 'system:settings',
} as const satisfies Record<string, Permission>;
