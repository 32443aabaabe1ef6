import { QueryTypes } from 'sequelize';
import type { Database } from '../../../core/db/database';

export interface ChannelCounts {
  contactWayId: number;
  adds: number;
  losses: number;
  customersWithOrders: number;
  sent: number;
  missed: number;
  failed: number;
}

/**
 * Adds, losses and customers who ordered after their add, per contact way, in one set-based query
 * (plus one for welcome outcomes). `from` / `to` bound the add time.
 */
export async function channelCounts(db: Database, range: { from?: Date; to?: Date }, wayIds: number[]): Promise<Map<number, ChannelCounts>> {
  const result = new Map<number, ChannelCounts>();
  if (!wayIds.length) return result;
  const replacements = { ids: wayIds, from: range.from ?? null, to: range.to ?? null };
  // Only the bounds given: an open end has no date every database can compare with.
  const bounds = (column: string) => `${range.from ? ` AND ${column} >= :from` : ''}${range.to ? ` AND ${column} < :to` : ''}`;
  const adds = await db.sequelize.query<{ way: number; adds: number; losses: number; ordered: number }>(
    `SELECT ca.contact_way_id AS way, COUNT(*) AS adds,
       SUM(CASE WHEN ca.lost_at IS NOT NULL THEN 1 ELSE 0 END) AS losses,
       COUNT(DISTINCT CASE WHEN EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = ca.customer_id AND o.placed_at >= ca.added_at) THEN ca.customer_id END) AS ordered
     FROM engagement_channel_adds ca
     WHERE ca.contact_way_id IN (:ids)${bounds('ca.added_at')}
     GROUP BY ca.contact_way_id`,
    { type: QueryTypes.SELECT, replacements },
  );
  const sends = await db.sequelize.query<{ way: number; status: string; n: number }>(
    `SELECT contact_way_id AS way, status, COUNT(*) AS n FROM engagement_welcome_sends
     WHERE contact_way_id IN (:ids)${bounds('event_at')} GROUP BY contact_way_id, status`,
    { type: QueryTypes.SELECT, replacements },
  );
  for (const id of wayIds) result.set(id, { contactWayId: id, adds: 0, losses: 0, customersWithOrders: 0, sent: 0, missed: 0, failed: 0 });
  for (const a of adds) Object.assign(result.get(Number(a.way))!, { adds: Number(a.adds), losses: Number(a.losses ?? 0), customersWithOrders: Number(a.ordered) });
  for (const s of sends) {
    const counts = result.get(Number(s.way))!;
    if (s.status === 'sent' || s.status === 'missed' || s.status === 'failed') counts[s.status] = Number(s.n);
  }
  return result;
}
