import { http } from './request';
import { cleanParams, type PageQuery, type PageResult, toPage } from './types';

export type JobStatus = 'pending' | 'running' | 'done' | 'dead';

export interface Job {
  id: number | string;
  type: string;
  status: JobStatus;
  attempts: number;
  maxAttempts: number;
  runAt: string | null;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface JobQuery extends PageQuery {
  status?: JobStatus | '';
  type?: string;
}

export interface CronRun {
  id: number | string;
  job: string;
  tickAt: string;
  instanceId: string;
  status: string;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
}

export interface CronRunQuery extends PageQuery {
  job?: string;
}

export const listJobs = async (query: JobQuery = {}): Promise<PageResult<Job>> =>
  toPage(await http.get<PageResult<Job> | Job[]>('/api/jobs', cleanParams(query)), query);
export const retryJob = (id: number | string) => http.post<unknown>(`/api/jobs/${id}/retry`);
export const listCronRuns = async (query: CronRunQuery = {}): Promise<PageResult<CronRun>> =>
  toPage(await http.get<PageResult<CronRun> | CronRun[]>('/api/cron-runs', cleanParams(query)), query);
