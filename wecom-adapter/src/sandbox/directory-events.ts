import type { CallbackPusher } from './callback-pusher';
import { SandboxControlError } from './control-error';
import type { SandboxState } from './sandbox-state';

/**
 * Directory changes an admin makes in the WeCom admin console: each changes the state first, then
 * pushes the change_contact callback WeCom would send (PROTOCOL §3.5).
 */
export function createDirectoryEvents(state: SandboxState, pusher: CallbackPusher) {
  const { directory } = state;
  const department = (id: number) => directory.departments.get(id) ?? invalid(`no department ${id}`);
  const push = (changeType: string, fields: Array<[string, string | number | undefined]>) => pusher.push({ event: 'change_contact', changeType, fields }).id;

  return {
    departmentCreated(input: { id?: number; name: string; parentid: number; order?: number }) {
      department(input.parentid);
      const id = input.id ?? Math.max(0, ...directory.departments.keys()) + 1;
      if (directory.departments.has(id)) invalid(`department ${id} exists`);
      const order = input.order ?? 100000000 - id;
      directory.addDepartment({ id, name: input.name, nameEn: '', parentid: input.parentid, order, leaders: [] });
      return { id, deliveryId: push('create_party', [['Id', id], ['Name', input.name], ['ParentId', input.parentid], ['Order', order]]) };
    },
    departmentUpdated(input: { id: number; name?: string; parentid?: number }) {
      const d = department(input.id);
      if (input.parentid !== undefined) {
        department(input.parentid);
        if (directory.subtree(input.id).some((x) => x.id === input.parentid)) invalid('a department cannot move under itself');
        d.parentid = input.parentid;
      }
      if (input.name !== undefined) d.name = input.name;
      return { deliveryId: push('update_party', [['Id', d.id], ['Name', input.name], ['ParentId', input.parentid]]) };
    },
    departmentDeleted(input: { id: number }) {
      department(input.id);
      if (directory.subtree(input.id).length > 1 || directory.employeesIn(input.id, false).length) invalid('only an empty department without sub-departments can be deleted');
      directory.departments.delete(input.id);
      return { deliveryId: push('delete_party', [['Id', input.id]]) };
    },
    /** Moves, renames or re-ids a member; the callback carries only what changed, as WeCom's does. */
    employeeUpdated(input: { userId: string; newUserId?: string; name?: string; department?: number[]; position?: string; status?: 1 | 2 }) {
      const e = directory.activeEmployee(input.userId) ?? invalid(`no active employee ${input.userId}`, 'EMPLOYEE_NOT_FOUND');
      for (const d of input.department ?? []) department(d);
      if (input.newUserId && input.newUserId !== e.userid) {
        if (directory.employees.has(input.newUserId)) invalid(`${input.newUserId} exists`);
        directory.employees.delete(e.userid);
        e.userid = input.newUserId;
        directory.addEmployee(e);
      }
      if (input.name !== undefined) e.name = input.name;
      if (input.department?.length) e.department = [...input.department];
      if (input.position !== undefined) e.position = input.position;
      if (input.status !== undefined) e.status = input.status;
      return {
        deliveryId: push('update_user', [
          ['UserID', input.userId],
          ['NewUserID', input.newUserId],
          ['Name', input.name],
          ['Department', input.department?.join(',')],
          ['MainDepartment', input.department?.[0]],
          ['Position', input.position],
          ['Status', input.status],
        ]),
      };
    },
    /** Limits what the apps may read (可见范围) to these department subtrees; null restores the whole directory. */
    setVisibility(input: { departments: number[] | null }) {
      for (const d of input.departments ?? []) department(d);
      return { departments: directory.setVisibility(input.departments) };
    },
  };
}

function invalid(message: string, code: 'INVALID_INPUT' | 'EMPLOYEE_NOT_FOUND' = 'INVALID_INPUT'): never {
  throw new SandboxControlError(code, message);
}
