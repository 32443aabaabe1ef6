import { z } from 'zod';
import { findPage } from '../../core/db/find-page';
import { AppError } from '../../core/errors';
import { route } from '../../core/http/define-route';
import { idParams, pageOf, pageQuery, pageSchema, toOffset } from '../../core/http/pagination';
import { jobStatuses, type CronRunRow, type JobModels, type JobRow } from '../../core/jobs/job.models';
import type { JobQueue } from '../../core/jobs/job-queue';
import type { AuditService } from '../audit/audit.service';

const iso = (value: Date | null) => (value ? new Date(value).toISOString() : null);

const job = z.object({
  id: z.number().int(),
  type: z.string(),
  status: z.enum(jobStatuses),
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  runAt: z.string(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const presentJob = (row: JobRow) => ({
  id: Number(row.id),
  type: row.type,
  status: row.status,
  attempts: Number(row.attempts),
  maxAttempts: Number(row.max_attempts),
  runAt: iso(row.run_at) ?? '',
  lastError: row.last_error,
  createdAt: iso(row.created_at) ?? '',
  updatedAt: iso(row.updated_at) ?? '',
});

const presentRun = (row: CronRunRow) => ({
  id: Number(row.id),
  job: row.job,
  tickAt: iso(row.tick_at),
  instanceId: row.instance_id,
  status: row.status,
  startedAt: iso(row.started_at),
  finishedAt: iso(row.finished_at),
  error: row.error,
});

export const jobRoutes = (deps: { queue: JobQueue; models: JobModels; audit: AuditService }) => [
  route({
    method: 'get',
    path: '/api/jobs',
    tag: 'system',
    summary: 'Background jobs; status=dead lists the dead letters',
    permission: 'job:read',
    query: pageQuery.extend({ status: z.enum(jobStatuses).optional(), type: z.string().max(64).optional() }),
    response: pageSchema(job),
    handler: async ({ query }) => {
      const { rows, total } = await deps.queue.list(query, toOffset(query));
      return pageOf(rows.map(presentJob), total, query);
    },
  }),
  route({
    method: 'post',
    path: '/api/jobs/:id/retry',
    tag: 'system',
    summary: 'Queue a dead job again',
    permission: 'job:retry',
    params: idParams,
    handler: async ({ params }) => {
      if (!(await deps.queue.retry(params.id))) throw new AppError('CONFLICT', `job ${params.id} is not dead`);
      await deps.audit.record({ action: 'job.retried', targetType: 'job', targetId: params.id });
      return { retried: true };
    },
  }),
  route({
    method: 'get',
    path: '/api/cron-runs',
    tag: 'system',
    summary: 'Runs of scheduled jobs, newest first',
    permission: 'job:read',
    query: pageQuery.extend({ job: z.string().max(64).optional() }),
    handler: async ({ query }) => {
      const { rows, count } = await findPage(deps.models.CronRun, { where: query.job ? { job: query.job } : {}, order: [['id', 'DESC']], ...toOffset(query), raw: true });
      return pageOf(rows.map(presentRun), count, query);
    },
  }),
];
