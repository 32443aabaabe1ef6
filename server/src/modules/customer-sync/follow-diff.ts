import type { CustomerFollowRow, FollowStatus } from '../customers/customer-store.models';

/** The follow columns that mirror WeCom's follow_info. */
export type FollowColumns = Pick<CustomerFollowRow, 'user_id' | 'remark' | 'description' | 'remark_corp_name' | 'add_way' | 'state' | 'oper_userid' | 'added_at'>;

const time = (value: Date | string | null | undefined) => (value ? new Date(value).getTime() : null);

/** What differs between our follow row and WeCom's relation (remark mobiles compared in plain text). */
export function followDiff(row: FollowColumns, wanted: FollowColumns, rowMobiles: string[], wantedMobiles: string[]) {
  const columns: Partial<FollowColumns> = {};
  for (const key of ['remark', 'description', 'remark_corp_name', 'add_way', 'state', 'oper_userid'] as const) {
    if ((row[key] ?? null) !== (wanted[key] ?? null)) Object.assign(columns, { [key]: wanted[key] });
  }
  if (wanted.user_id !== null && Number(row.user_id) !== wanted.user_id) columns.user_id = wanted.user_id;
  if (time(row.added_at) !== time(wanted.added_at)) columns.added_at = wanted.added_at;
  const mobilesChanged = JSON.stringify(rowMobiles) !== JSON.stringify(wantedMobiles);
  return { columns, mobilesChanged };
}

export const isLostFollow = (status: FollowStatus) => status !== 'active';

/**
 * A lost follow WeCom still shows is active again when the relation is newer than the loss. WeCom
 * keeps showing a relation the customer deleted (del_follow_user), so for that one only a newer
 * createtime (the customer added the employee again) counts; any other lost relation that WeCom
 * shows again was re-added.
 */
export function reactivates(row: { status: FollowStatus; lost_at: Date | string | null }, createtime: number): boolean {
  if (row.status !== 'deleted_by_customer') return true;
  const lostAt = row.lost_at ? Math.floor(new Date(row.lost_at).getTime() / 1000) : 0;
  return createtime > lostAt;
}
