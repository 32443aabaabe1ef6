import { http } from './request';
import { cleanParams, type PageQuery, type PageResult, toPage } from './types';

export interface AuditLog {
  id: number;
  /** Null until sealed into the hash chain (within a second or so). */
  seq: number | null;
  at: string;
  actorId: number | null;
  actorName: string | null;
  action: string;
  targetType: string | null;
  targetId: string | number | null;
  storeId: number | null;
  diff: { before: unknown; after: unknown } | null;
  requestId: string | null;
  ip: string | null;
}

export interface AuditQuery extends PageQuery {
  action?: string;
  actorId?: number;
  targetType?: string;
  targetId?: string;
  from?: string;
  to?: string;
}

export interface AuditVerifyResult {
  ok: boolean;
  checked: number;
  firstBadSeq: number | null;
  problems: Array<{ seq: number; problem: string } | string>;
}

export const listAuditLogs = async (query: AuditQuery = {}): Promise<PageResult<AuditLog>> =>
  toPage(await http.get<PageResult<AuditLog> | AuditLog[]>('/api/audit-logs', cleanParams(query)), query);
export const verifyAuditChain = () => http.get<AuditVerifyResult>('/api/audit-logs/verify');
