import { Op, type WhereOptions } from 'sequelize';
import type { Models } from '../db/models';

/** Where a stored delivery stands: processed, waiting (no job yet, or a live one), or dead (its job gave up). */
export type InboxStatus = 'processed' | 'pending' | 'dead';

interface InboxRow {
  job_id: number | null;
  processed_at: Date | null;
}

/** The conditions that pick an inbox's rows in `status`; `jobType` is the inbox's processing job. */
export async function inboxStatusWhere(models: Pick<Models, 'Job'>, jobType: string, status: InboxStatus | undefined): Promise<WhereOptions> {
  if (status === 'processed') return { processed_at: { [Op.ne]: null } };
  if (status !== 'pending' && status !== 'dead') return {};
  const deadIds = (await models.Job.findAll({ where: { type: jobType, status: 'dead' }, attributes: ['id'], raw: true })).map((j) => Number(j.id));
  const byJob = status === 'dead' ? { job_id: { [Op.in]: deadIds } } : { [Op.or]: [{ job_id: null }, { job_id: { [Op.notIn]: deadIds.length ? deadIds : [0] } }] };
  return { processed_at: null, ...byJob };
}

/** Each row with its status, and its job's attempts and last error. */
export async function withInboxJobs<Row extends InboxRow>(models: Pick<Models, 'Job'>, rows: Row[]) {
  const jobIds = rows.flatMap((r) => (r.job_id ? [Number(r.job_id)] : []));
  const jobs = new Map((await models.Job.findAll({ where: { id: jobIds }, raw: true })).map((j) => [Number(j.id), j]));
  return rows.map((row) => {
    const job = row.job_id ? jobs.get(Number(row.job_id)) : undefined;
    const status: InboxStatus = row.processed_at ? 'processed' : job?.status === 'dead' ? 'dead' : 'pending';
    return { row, status, attempts: job ? Number(job.attempts) : 0, lastError: job?.last_error ?? null };
  });
}
