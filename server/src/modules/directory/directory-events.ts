import type { ContactEvent, WecomClient } from '@scrm/wecom-adapter';
import type { Transaction } from 'sequelize';
import type { Models } from '../../core/db/models';
import { assertUnreachable } from '../../core/errors';
import type { Logger } from '../../core/logger';
import type { WecomEventRouter } from '../wecom/wecom-event-router';
import type { WecomRuntime } from '../wecom/wecom-runtime';
import { markDepartmentDeleted, subtreeOf, upsertDepartment, type DepartmentProfile } from './department-mirror';
import { loadSnapshot } from './directory-mapping';
import { readDepartment, readEmployee, type ReadResult } from './directory-reader';
import { profileOfRow, type EmployeeApplier, type EmployeeProfile } from './employee-apply';
import type { WecomEmployeeStatus } from './directory.models';

type UserChange = Extract<ContactEvent, { changeType: 'create_user' | 'update_user' }>;

/** The event's own fields over what we already knew: used only when the app may not read the member. */
async function profileFromEvent(models: Models, event: UserChange, userid: string, tx: Transaction): Promise<EmployeeProfile> {
  const known = await models.WecomEmployee.findOne({ where: { userid }, raw: true, transaction: tx });
  const base: EmployeeProfile = known ? profileOfRow(known) : { userid, name: userid, departmentIds: [], mainDepartmentId: null, position: null, status: 1 };
  const departmentIds = event.department?.map(Number).filter(Number.isFinite) ?? base.departmentIds;
  const status = Number(event.status);
  return {
    userid,
    name: event.name ?? base.name,
    departmentIds,
    mainDepartmentId: event.mainDepartment !== undefined ? Number(event.mainDepartment) : event.department ? (departmentIds[0] ?? null) : base.mainDepartmentId,
    position: event.position ?? base.position,
    status: ([1, 2, 4, 5] as const).includes(status as WecomEmployeeStatus) ? (status as WecomEmployeeStatus) : base.status,
  };
}

/**
 * change_contact handlers. Each re-reads the member or department from WeCom and applies that current
 * state, so a repeated, late or out-of-order event converges on what WeCom holds now. Only when the app
 * may not read it does the event's own payload stand in.
 */
export function registerDirectoryEvents(deps: { events: WecomEventRouter; runtime: WecomRuntime; models: Models; applier: EmployeeApplier; log: Logger }) {
  const { events, runtime, models, applier, log } = deps;

  /** Without the contact app (通讯录) set up the event cannot be read back: its own payload stands in. */
  const unconfigured = { kind: 'hidden', errcode: 0 } as const;
  async function readCurrent<T>(read: (client: WecomClient) => Promise<ReadResult<T>>): Promise<ReadResult<T>> {
    const client = await runtime.appClient('contact');
    if (client) return read(client);
    log.warn('WeCom is not configured; a change_contact event is applied from its own payload');
    return unconfigured;
  }

  async function onUser(event: Extract<ContactEvent, { changeType: 'create_user' | 'update_user' | 'delete_user' }>, tx: Transaction, origin: string) {
    const renamed = event.changeType === 'update_user' && event.newUserId && event.newUserId !== event.userId ? event.newUserId : undefined;
    if (renamed) await applier.renameUserid(event.userId, renamed, tx);
    const userid = renamed ?? event.userId;
    const current = await readCurrent((client) => readEmployee(client, userid));
    const snapshot = await loadSnapshot(models, tx);
    const ctx = { tx, snapshot, origin };
    if (current.kind === 'found') await applier.apply(current.value, ctx);
    else if (current.kind === 'gone') await applier.markLeft(userid, ctx);
    else if (event.changeType === 'delete_user') await applier.markLeft(userid, ctx);
    else await applier.apply(await profileFromEvent(models, event, userid, tx), ctx);
  }

  /** Employees under the department: their nearest mapped ancestor may have changed. */
  async function reapplySubtree(wecomId: number, tx: Transaction, origin: string) {
    const snapshot = await loadSnapshot(models, tx);
    const ids = subtreeOf(snapshot, wecomId);
    const rows = await models.WecomEmployee.findAll({ where: { main_department_id: [...ids] }, raw: true, transaction: tx });
    for (const row of rows) await applier.apply(profileOfRow(row), { tx, snapshot, origin });
  }

  async function onParty(event: Extract<ContactEvent, { changeType: 'create_party' | 'update_party' | 'delete_party' }>, tx: Transaction, origin: string) {
    const id = Number(event.id);
    if (!Number.isFinite(id)) return;
    const current = await readCurrent((client) => readDepartment(client, id));
    if (current.kind === 'found') {
      await upsertDepartment(models, current.value, tx);
    } else if (current.kind === 'gone') {
      await markDepartmentDeleted(models, id, tx);
    } else if (event.changeType === 'delete_party') {
      await markDepartmentDeleted(models, id, tx);
    } else {
      const fromEvent: DepartmentProfile = { id, name: event.name, parentid: event.parentId !== undefined ? Number(event.parentId) : undefined, order: event.order };
      await upsertDepartment(models, fromEvent, tx);
    }
    await reapplySubtree(id, tx, origin);
  }

  events.on('contact', async (event, { tx, callbackId }) => {
    const origin = `cb:${callbackId}`;
    switch (event.changeType) {
      case 'create_user':
      case 'update_user':
      case 'delete_user':
        return onUser(event, tx, origin);
      case 'create_party':
      case 'update_party':
      case 'delete_party':
        return onParty(event, tx, origin);
      case 'update_tag':
        log.debug({ tagId: event.tagId }, 'directory tag change ignored: tags of the directory are not used');
        return;
      default:
        return assertUnreachable(event);
    }
  });
}
