import type { Services } from '../../app';
import { route } from '../../core/http/define-route';
import type { SyncKind, SyncRunRow } from '../wecom-sync/sync-runs';
import { syncRunView } from './tag.schemas';

export const presentSyncRun = (row: SyncRunRow | null) =>
  row && {
    id: Number(row.id),
    kind: row.kind,
    status: row.status,
    processed: Number(row.processed),
    total: row.total === null ? null : Number(row.total),
    report: row.report ? (JSON.parse(row.report) as Record<string, unknown>) : null,
    error: row.error,
    startedAt: new Date(row.started_at).toISOString(),
    finishedAt: row.finished_at ? new Date(row.finished_at).toISOString() : null,
  };

/** The latest run of a sync kind, and a way to start one; shared by the tags and group chats pages. */
export function syncRoutes(services: Pick<Services, 'wecom' | 'models' | 'audit'>, kind: SyncKind, path: string, tag: string) {
  const { wecom, models, audit } = services;
  return [
    route({
      method: 'get',
      path,
      tag,
      summary: `The latest ${kind} sync run`,
      permission: 'customer:read',
      response: syncRunView.nullable(),
      handler: async () => presentSyncRun(await models.SyncRun.findOne({ where: { kind }, order: [['id', 'DESC']], raw: true })),
    }),
    route({
      method: 'post',
      path,
      tag,
      summary: `Start a ${kind} sync from WeCom (or get the one running)`,
      permission: 'customer:config',
      response: syncRunView,
      handler: async () => {
        const run = await wecom.syncRuns.start(kind, 'manual', { ifRunning: 'return' });
        await audit.record({ action: 'sync.started', targetType: 'sync_run', targetId: Number(run.id), after: { kind } });
        return presentSyncRun(run);
      },
    }),
  ];
}
