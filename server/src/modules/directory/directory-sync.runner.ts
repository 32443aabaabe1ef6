import { Op } from 'sequelize';
import type { Database } from '../../core/db/database';
import type { Models } from '../../core/db/models';
import type { Logger } from '../../core/logger';
import type { WecomRuntime } from '../wecom/wecom-runtime';
import type { SyncRunContext, SyncRunner } from '../wecom-sync/sync-runs';
import { hideUnseenDepartments, upsertDepartment } from './department-mirror';
import { loadSnapshot } from './directory-mapping';
import { isNoAccess, profileOfApiUser, readEmployee } from './directory-reader';
import type { ApplyResult, EmployeeApplier } from './employee-apply';

export interface DirectorySyncReport {
  departments: { seen: number; created: number; updated: number; hidden: number };
  employees: { seen: number; created: number; updated: number; disabled: number; left: number; unmapped: number; unchanged: number };
  customersMoved: number;
  /** What the app may not read: skipped, never failing the run. */
  skipped: { departments: Array<{ id: number; errcode: number }>; employees: Array<{ userid: string; errcode: number }> };
}

interface Cursor {
  step: 'employees' | 'unseen';
  /** Index into the sorted visible department ids (employees step) or the unseen list (unseen step). */
  index: number;
  report: DirectorySyncReport;
}

const emptyReport = (): DirectorySyncReport => ({
  departments: { seen: 0, created: 0, updated: 0, hidden: 0 },
  employees: { seen: 0, created: 0, updated: 0, disabled: 0, left: 0, unmapped: 0, unchanged: 0 },
  customersMoved: 0,
  skipped: { departments: [], employees: [] },
});

const count = (report: DirectorySyncReport, result: ApplyResult, moved: number) => {
  report.employees[result] += 1;
  report.customersMoved += moved;
};

/**
 * The full directory sync (kind `directory`): departments (department/list), then each visible
 * department's members (user/list), then every employee we know but did not meet (user/get: gone → left).
 * Whatever the app may not read is skipped and reported. Checkpoints after each department, so a
 * restarted run carries on where it stopped.
 */
export function createDirectorySyncRunner(deps: { db: Database; models: Models; runtime: WecomRuntime; applier: EmployeeApplier; log: Logger }): SyncRunner<Cursor> {
  const { db, models, runtime, applier, log } = deps;

  return async (run: SyncRunContext<Cursor>) => {
    const client = await runtime.requireAppClient('contact');
    const cursor: Cursor = run.cursor ?? { step: 'employees', index: 0, report: emptyReport() };
    const { report } = cursor;
    const origin = `run:${run.runId}`;

    // Departments are re-read on every (re)start: one call, and the tree must be current before mapping.
    const departments = (await client.directory.listDepartments()).department;
    const departmentCounts = { seen: departments.length, created: 0, updated: 0, hidden: 0 };
    await db.transaction(async (tx) => {
      for (const dept of departments) {
        const result = await upsertDepartment(models, { id: Number(dept.id), name: dept.name, parentid: dept.parentid, order: dept.order }, tx, run.runId);
        if (result !== 'unchanged') departmentCounts[result] += 1;
      }
      departmentCounts.hidden = await hideUnseenDepartments(models, run.runId, tx);
    });
    if (!run.cursor) report.departments = departmentCounts;
    const ids = departments.map((d) => Number(d.id)).sort((a, b) => a - b);

    if (cursor.step === 'employees') {
      for (let i = cursor.index; i < ids.length; i += 1) {
        const departmentId = ids[i] as number;
        let members;
        try {
          members = (await client.directory.listUsers(departmentId)).userlist;
        } catch (error) {
          if (!isNoAccess(error)) throw error;
          report.skipped.departments.push({ id: departmentId, errcode: error.errcode });
          log.warn({ departmentId, errcode: error.errcode }, 'directory sync: department not readable, skipped');
          continue;
        }
        await db.transaction(async (tx) => {
          const snapshot = await loadSnapshot(models, tx);
          const seen = new Set(
            (await models.WecomEmployee.findAll({ where: { userid: members.map((m) => m.userid), seen_run_id: run.runId }, attributes: ['userid'], raw: true, transaction: tx })).map((e) => e.userid),
          );
          for (const member of members) {
            if (seen.has(member.userid)) continue; // met in an earlier department
            seen.add(member.userid);
            report.employees.seen += 1;
            const outcome = await applier.apply(profileOfApiUser(member), { tx, snapshot, runId: run.runId, origin });
            count(report, outcome.result, outcome.customersMoved);
          }
        });
        await run.checkpoint({ cursor: { step: 'employees', index: i + 1, report }, processed: report.employees.seen });
      }
      cursor.step = 'unseen';
      cursor.index = 0;
    }

    // Employees we know, still in WeCom as far as we know, but met in no department this run.
    const unseen = await models.WecomEmployee.findAll({
      where: { wecom_status: { [Op.ne]: 5 }, [Op.or]: [{ seen_run_id: null }, { seen_run_id: { [Op.ne]: run.runId } }] },
      order: [['id', 'ASC']],
      raw: true,
    });
    for (const row of unseen) {
      const current = await readEmployee(client, row.userid);
      if (current.kind === 'hidden') {
        report.skipped.employees.push({ userid: row.userid, errcode: current.errcode });
        continue;
      }
      await db.transaction(async (tx) => {
        const snapshot = await loadSnapshot(models, tx);
        const outcome =
          current.kind === 'gone'
            ? await applier.markLeft(row.userid, { tx, snapshot, origin })
            : await applier.apply(current.value, { tx, snapshot, runId: run.runId, origin });
        if (current.kind === 'found') report.employees.seen += 1;
        count(report, outcome.result, outcome.customersMoved);
      });
    }
    return report as unknown as Record<string, unknown>;
  };
}
