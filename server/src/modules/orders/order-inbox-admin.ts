import type { WhereOptions } from 'sequelize';
import type { Database } from '../../core/db/database';
import { findPage } from '../../core/db/find-page';
import type { Models } from '../../core/db/models';
import { AppError } from '../../core/errors';
import { inboxStatusWhere, withInboxJobs } from '../../core/jobs/inbox-status';
import type { JobQueue } from '../../core/jobs/job-queue';
import type { Actor } from '../access/actor';
import type { AuditService } from '../audit/audit.service';
import { INBOX_JOB, INBOX_JOB_ATTEMPTS } from './order-inbox-jobs';
import type { OrderInboxRow } from './order.models';
import type { InboxStatus } from './order.schemas';

const iso = (at: Date | null) => (at ? new Date(at).toISOString() : null);

/** Deliveries are not routed to a store until processed: the inbox is for users who see every store. */
function assertAllStores(actor: Actor): void {
  if (actor.storeIds !== null) throw new AppError('FORBIDDEN', 'the order inbox spans every store: only a user whose data scope is all stores may open it', [{ path: 'dataScope', message: 'needs all stores' }]);
}

/** Stored order deliveries for the console: their processing status, and replay of dead letters. */
export function createInboxAdmin(deps: { db: Database; models: Models; queue: JobQueue; audit: AuditService }) {
  const { db, models, queue, audit } = deps;

  return {
    async list(actor: Actor, filter: { status?: InboxStatus; platform?: string; platformOrderId?: string }, range: { offset: number; limit: number }) {
      assertAllStores(actor);
      const where: WhereOptions<OrderInboxRow> = {};
      if (filter.platform) Object.assign(where, { platform: filter.platform });
      if (filter.platformOrderId) Object.assign(where, { platform_order_id: filter.platformOrderId });
      Object.assign(where, await inboxStatusWhere(models, INBOX_JOB, filter.status));
      const { rows, count } = await findPage(models.OrderInbox, { where, attributes: { exclude: ['payload_enc'] }, order: [['id', 'DESC']], offset: range.offset, limit: range.limit, raw: true });
      return {
        total: count,
        items: (await withInboxJobs(models, rows)).map(({ row, status, attempts, lastError }) => {
          return {
            id: Number(row.id),
            platform: row.platform,
            platformOrderId: row.platform_order_id,
            event: row.event,
            status,
            deliveries: Number(row.deliveries),
            attempts,
            lastError: row.processed_at ? null : lastError,
            orderId: row.order_id === null ? null : Number(row.order_id),
            receivedAt: iso(row.received_at)!,
            processedAt: iso(row.processed_at),
          };
        }),
      };
    },

    /** A dead delivery gets a job of its own, so that replaying it does not re-run its batch. */
    async replay(actor: Actor, id: number): Promise<void> {
      assertAllStores(actor);
      const row = await models.OrderInbox.findByPk(id, { attributes: { exclude: ['payload_enc'] }, raw: true });
      if (!row) throw new AppError('NOT_FOUND', `order delivery ${id} not found`);
      const job = row.job_id ? await models.Job.findByPk(Number(row.job_id), { raw: true }) : null;
      if (row.processed_at || job?.status !== 'dead') throw new AppError('CONFLICT', `order delivery ${id} is not a dead letter (only a delivery whose processing gave up can be replayed)`);
      await db.transaction(async (tx) => {
        const jobId = await queue.enqueue(INBOX_JOB, { deliveryIds: [id] }, { transaction: tx, maxAttempts: INBOX_JOB_ATTEMPTS });
        await models.OrderInbox.update({ job_id: jobId }, { where: { id }, transaction: tx });
        await audit.record({ action: 'order.delivery_replayed', targetType: 'order_delivery', targetId: id, before: { jobId: Number(row.job_id), lastError: job.last_error }, after: { jobId, platform: row.platform, platformOrderId: row.platform_order_id, event: row.event } }, tx);
      });
    },
  };
}

export type InboxAdmin = ReturnType<typeof createInboxAdmin>;
