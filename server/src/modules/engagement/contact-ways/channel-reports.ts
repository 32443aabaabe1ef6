import type { Database } from '../../../core/db/database';
import type { Models } from '../../../core/db/models';
import type { Actor } from '../../access/actor';
import { withinScope } from '../../access/data-scope';
import { channelCounts } from './channel-stats';

const scope = { store: 'store_id' };

/** Channel statistics and the welcome-message log, for the contact ways the actor sees. */
export function createChannelReports(deps: { db: Database; models: Models }) {
  const { db, models } = deps;

  return {
    async stats(actor: Actor, range: { from?: string; to?: string }) {
      const ways = await models.ContactWay.findAll({ where: withinScope(actor, scope), attributes: ['id', 'name'], order: [['id', 'DESC']], raw: true });
      const counts = await channelCounts(db, { from: range.from ? new Date(range.from) : undefined, to: range.to ? new Date(range.to) : undefined }, ways.map((w) => Number(w.id)));
      return ways.map((way) => {
        const c = counts.get(Number(way.id))!;
        return {
          contactWayId: c.contactWayId,
          name: way.name,
          adds: c.adds,
          losses: c.losses,
          net: c.adds - c.losses,
          customersWithOrders: c.customersWithOrders,
          conversionRate: c.adds ? Math.round((c.customersWithOrders / c.adds) * 10_000) / 10_000 : 0,
          welcome: { sent: c.sent, missed: c.missed, failed: c.failed },
        };
      });
    },

    async welcomeSends(actor: Actor, contactWayId: number) {
      const way = await models.ContactWay.findOne({ where: withinScope(actor, scope, { id: contactWayId }), attributes: ['id'], raw: true });
      if (!way) return [];
      const rows = await models.WelcomeSend.findAll({ where: { contact_way_id: contactWayId }, order: [['id', 'DESC']], limit: 200, raw: true });
      return rows.map((r) => ({
        id: Number(r.id),
        contactWayId: r.contact_way_id === null ? null : Number(r.contact_way_id),
        externalUserid: r.external_userid,
        wecomUserid: r.wecom_userid,
        status: r.status,
        errcode: r.errcode === null ? null : Number(r.errcode),
        error: r.error,
        eventAt: new Date(r.event_at).toISOString(),
        finishedAt: r.finished_at ? new Date(r.finished_at).toISOString() : null,
        latencyMs: r.finished_at ? new Date(r.finished_at).getTime() - new Date(r.received_at).getTime() : null,
      }));
    },
  };
}
