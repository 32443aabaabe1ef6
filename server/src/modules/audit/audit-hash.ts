import { createHash } from 'node:crypto';
import stringify from 'safe-stable-stringify';
import type { AuditLogRow } from './audit.models';

export { GENESIS_HASH } from '../../../../migrations/0003-audit';

export type HashedFields = Omit<AuditLogRow, 'id' | 'hash' | 'seq' | 'prev_hash'> & { seq: number; prev_hash: string };

const toNumberOrNull = (value: unknown) => (value === null || value === undefined ? null : Number(value));

/** The hash of one audit row: covers every column but the surrogate id, and the previous row's hash. */
export function hashAuditRow(row: HashedFields): string {
  const canonical = stringify({
    seq: Number(row.seq),
    at: new Date(row.at).toISOString(),
    actor_id: toNumberOrNull(row.actor_id),
    actor_name: row.actor_name ?? null,
    action: row.action,
    target_type: row.target_type,
    target_id: row.target_id ?? null,
    store_id: toNumberOrNull(row.store_id),
    diff: row.diff ?? null,
    request_id: row.request_id ?? null,
    ip: row.ip ?? null,
  });
  return createHash('sha256').update(`${row.prev_hash}\n${canonical}`).digest('hex');
}

/** Before/after of what changed: only changed keys for updates, whole objects for create and delete. */
export function diffOf(before?: Record<string, unknown> | null, after?: Record<string, unknown> | null): string | null {
  if (!before && !after) return null;
  if (before && after) {
    const changedBefore: Record<string, unknown> = {};
    const changedAfter: Record<string, unknown> = {};
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
      if (stringify(before[key]) !== stringify(after[key])) {
        changedBefore[key] = before[key] ?? null;
        changedAfter[key] = after[key] ?? null;
      }
    }
    return stringify({ before: changedBefore, after: changedAfter }) ?? null;
  }
  return stringify({ before: before ?? null, after: after ?? null }) ?? null;
}
