import { z } from 'zod';
import { AppError } from '../../core/errors';
import { route } from '../../core/http/define-route';
import { pageQuery, pageSchema, toOffset } from '../../core/http/pagination';
import type { AuditService } from '../audit/audit.service';
import type { WecomRuntime } from '../wecom/wecom-runtime';
import { syncKinds, type SyncRunRow, type SyncRuns } from './sync-runs';

const iso = (value: Date | string | null) => (value ? new Date(value).toISOString() : null);

const runView = z.object({
  id: z.number().int(),
  kind: z.enum(syncKinds),
  status: z.enum(['running', 'done', 'failed']),
  trigger: z.string(),
  processed: z.number().int(),
  total: z.number().int().nullable(),
  report: z.record(z.string(), z.unknown()).nullable(),
  error: z.string().nullable(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  heartbeatAt: z.string().nullable(),
});

function parseReport(raw: string | null): Record<string, unknown> | null {
  if (!raw) return null;
  try {
    return JSON.parse(raw) as Record<string, unknown>;
  } catch {
    return null;
  }
}

export const presentRun = (row: SyncRunRow) => ({
  id: Number(row.id),
  kind: row.kind,
  status: row.status,
  trigger: row.trigger,
  processed: Number(row.processed),
  total: row.total === null ? null : Number(row.total),
  report: parseReport(row.report),
  error: row.error,
  startedAt: iso(row.started_at),
  finishedAt: iso(row.finished_at),
  heartbeatAt: iso(row.heartbeat_at),
});

/** Sync status for admins: the latest run of each kind, the last full customer sync, history; manual starts. */
export const syncRunRoutes = (deps: { syncRuns: SyncRuns; audit: AuditService; runtime: Pick<WecomRuntime, 'client'> }) => [
  route({
    method: 'get',
    path: '/api/wecom/sync/runs',
    tag: 'wecom',
    summary: 'WeCom sync runs: the latest of each kind (with progress and errors), the last finished full customer sync, and the history',
    permission: 'directory:manage',
    query: pageQuery.extend({ kind: z.enum(syncKinds).optional(), status: z.enum(['running', 'done', 'failed']).optional() }),
    response: pageSchema(runView).extend({ latest: z.array(runView), lastFullSync: runView.nullable(), available: z.array(z.enum(syncKinds)) }),
    handler: async ({ query }) => {
      const [latest, lastFull, history] = await Promise.all([deps.syncRuns.latest(), deps.syncRuns.lastDone('customers'), deps.syncRuns.list(query, toOffset(query))]);
      return {
        latest: latest.map(presentRun),
        lastFullSync: lastFull ? presentRun(lastFull) : null,
        available: syncKinds.filter((kind) => deps.syncRuns.registered(kind)),
        items: history.rows.map(presentRun),
        total: history.total,
        page: query.page,
        pageSize: query.pageSize,
      };
    },
  }),
  route({
    method: 'post',
    path: '/api/wecom/sync/:kind',
    tag: 'wecom',
    summary: 'Start a WeCom sync of this kind now (409 while one is running)',
    permission: 'directory:manage',
    params: z.object({ kind: z.enum(syncKinds) }),
    response: runView,
    handler: async ({ params }) => {
      if (!deps.syncRuns.registered(params.kind)) throw new AppError('NOT_FOUND', `no ${params.kind} sync is available`);
      if (!(await deps.runtime.client())) throw new AppError('NOT_READY', 'WeCom is not configured: set the corp id and secrets first');
      const run = await deps.syncRuns.start(params.kind, 'manual');
      await deps.audit.record({ action: 'wecom.sync.started', targetType: 'sync_run', targetId: Number(run.id), after: { kind: params.kind } });
      return presentRun(run);
    },
  }),
];
