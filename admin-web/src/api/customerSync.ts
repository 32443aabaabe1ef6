import { http } from './request';
import { cleanParams, type PageQuery, type PageResult, toPage } from './types';

export type SyncKind = 'directory' | 'tags' | 'customers' | 'groups' | 'reconcile';
export type SyncStatus = 'running' | 'done' | 'failed';

export interface SyncRun {
  id: number;
  kind: SyncKind;
  status: SyncStatus;
  trigger: string;
  processed: number;
  total: number | null;
  report: Record<string, unknown> | null;
  error: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  heartbeatAt: string | null;
}

export interface SyncRunsReply extends PageResult<SyncRun> {
  latest: SyncRun[];
  lastFullSync: SyncRun | null;
  available: SyncKind[];
}

export interface SyncRunQuery extends PageQuery {
  kind?: SyncKind | '';
  status?: SyncStatus | '';
}

export type LostReason = 'deleted_by_customer' | 'deleted_by_employee' | 'transferred';

export interface LostCustomer {
  followId: number;
  customerId: number;
  customerName: string;
  customerStatus: string;
  externalUserid: string | null;
  storeId: number | null;
  storeName: string | null;
  wecomUserid: string;
  employeeName: string | null;
  remark: string | null;
  reason: LostReason;
  lostReason: string | null;
  lostAt: string | null;
  addedAt: string | null;
  alert: { status: string; sentAt: string | null; recipients: string[] } | null;
}

export interface LostCustomerQuery extends PageQuery {
  storeId?: number | '';
  wecomUserid?: string;
  reason?: LostReason | '';
  from?: string;
  to?: string;
}

export const getSyncRuns = (query: SyncRunQuery = {}) => http.get<SyncRunsReply>('/api/wecom/sync/runs', cleanParams(query));
export const startSync = (kind: SyncKind) => http.post<SyncRun>(`/api/wecom/sync/${kind}`);
export const listLostCustomers = async (query: LostCustomerQuery = {}): Promise<PageResult<LostCustomer>> =>
  toPage(await http.get<PageResult<LostCustomer>>('/api/customers/lost', cleanParams(query)), query);
