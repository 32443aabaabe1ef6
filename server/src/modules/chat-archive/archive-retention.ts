import { Op, type Transaction, type WhereOptions } from 'sequelize';
import type { Database } from '../../core/db/database';
import type { Models } from '../../core/db/models';
import type { Scheduler } from '../../core/jobs/scheduler';
import type { Actor } from '../access/actor';
import type { AuditService } from '../audit/audit.service';
import { scopedCustomers } from '../customers/customer-360.deps';
import type { ArchiveSettings } from './archive-settings.service';
import type { ArchiveMessageRow } from './chat-archive.models';

const CHUNK = 1000;
const DAY_MS = 24 * 3600_000;

/** Retention in days (a daily job, one instance per tick) and erasing one customer's archive on request. */
export function createArchiveRetention(deps: { db: Database; models: Models; audit: AuditService; settings: ArchiveSettings }) {
  const { db, models, audit, settings } = deps;

  /** Deletes the matching messages with their postings, media rows and consent, a chunk per transaction. */
  async function erase(where: WhereOptions<ArchiveMessageRow>, last?: (tx: Transaction, removed: number) => Promise<void>): Promise<number> {
    let removed = 0;
    for (;;) {
      const done = await db.transaction(async (tx) => {
        const rows = await models.ArchiveMessage.findAll({ where, attributes: ['id', 'msgid'], limit: CHUNK, raw: true, transaction: tx });
        if (rows.length) {
          await db.sequelize.getQueryInterface().bulkDelete('archive_tokens', { message_id: rows.map((r) => Number(r.id)) }, { transaction: tx });
          await models.ArchiveMedia.destroy({ where: { msgid: rows.map((r) => r.msgid) }, transaction: tx });
          // Alerts quote the message: they go with it.
          await models.ArchiveAlert.destroy({ where: { message_id: rows.map((r) => Number(r.id)) }, transaction: tx });
          await models.ArchiveMessage.destroy({ where: { id: rows.map((r) => Number(r.id)) }, transaction: tx });
          removed += rows.length;
        }
        if (rows.length < CHUNK) await last?.(tx, removed);
        return rows.length < CHUNK;
      });
      if (done) return removed;
    }
  }

  /** Removes messages older than the retention (0 keeps them forever); returns how many. */
  async function purgeExpired(now = new Date()): Promise<number> {
    const { retentionDays } = await settings.effective();
    if (!retentionDays) return 0;
    const cutoff = new Date(now.getTime() - retentionDays * DAY_MS);
    return erase({ msg_time: { [Op.lt]: cutoff } }, async (tx, removed) => {
      if (removed) await audit.record({ action: 'archive.retention_purged', targetType: 'archive_messages', actor: { id: null, name: 'system' }, after: { retentionDays, before: cutoff.toISOString(), removed } }, tx);
    });
  }

  return {
    purgeExpired,

    /** Erases a customer's one-to-one messages and consent record (group chats concern other members and stay). */
    async deleteCustomer(actor: Actor, customerId: number): Promise<{ removed: number }> {
      const customer = await scopedCustomers(models).byId(actor, customerId);
      // Linked at ingest, or stored before the customer was synced (by external id), as the 360 tab shows them.
      const own = customer.external_userid ? { [Op.or]: [{ customer_id: customerId }, { external_userid: customer.external_userid }] } : { customer_id: customerId };
      const removed = await erase(own, async (tx, count) => {
        if (customer.external_userid) await models.ArchiveConsent.destroy({ where: { external_userid: customer.external_userid }, transaction: tx });
        await audit.record({ action: 'archive.customer_deleted', targetType: 'customer', targetId: customerId, after: { removed: count } }, tx);
      });
      return { removed };
    },

    register(scheduler: Scheduler): void {
      scheduler.register({ name: 'chat-archive.retention', schedule: '40 3 * * *', run: async () => void (await purgeExpired()) });
    },
  };
}

export type ArchiveRetention = ReturnType<typeof createArchiveRetention>;
