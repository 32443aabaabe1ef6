import type { OrderDelivery } from '@scrm/plugin-sdk';
import type { FieldCipher } from '../../core/crypto/field-cipher';
import type { Database } from '../../core/db/database';
import type { Models } from '../../core/db/models';
import { createInboxDispatcher } from '../../core/jobs/inbox-dispatcher';
import type { JobQueue } from '../../core/jobs/job-queue';
import type { Logger } from '../../core/logger';
import type { AuditService } from '../audit/audit.service';
import { createInboxAdmin } from './order-inbox-admin';
import { INBOX_JOB, INBOX_JOB_ATTEMPTS, inboxJobPayload } from './order-inbox-jobs';
import { createInboxProcessor, type DeliveryReader } from './order-inbox-process';
import { createOrderInboxWriter } from './order-inbox-writer';
import type { OrderIngest } from './order-ingest';

/**
 * The order inbox: connectors store each delivery durably and answer the platform at once; jobs
 * take the deliveries in afterwards, in batches, exactly once each, retried and finally parked as
 * dead letters that can be replayed. Nothing acknowledged is lost, also if an instance dies.
 */
export function createOrderInbox(deps: { db: Database; models: Models; queue: JobQueue; cipher: FieldCipher; audit: AuditService; log: Logger; intake: OrderIngest }) {
  const { db, models, queue, log } = deps;
  let reader: DeliveryReader | null = null;
  const writer = createOrderInboxWriter({ db, cipher: deps.cipher });
  const dispatcher = createInboxDispatcher({ db, queue, log, inbox: models.OrderInbox, job: { type: INBOX_JOB, payload: (deliveryIds) => ({ deliveryIds }), maxAttempts: INBOX_JOB_ATTEMPTS }, delayMs: 100 });
  const processor = createInboxProcessor({
    db,
    models,
    cipher: deps.cipher,
    log,
    intake: deps.intake,
    reader: () => {
      if (!reader) throw new Error('no connector can read order deliveries yet (the plugin host is not wired)');
      return reader;
    },
  });
  queue.register({ type: INBOX_JOB, payload: inboxJobPayload, maxAttempts: INBOX_JOB_ATTEMPTS, handle: ({ deliveryIds }) => processor.processBatch(deliveryIds) });

  return {
    /** Stores deliveries of one platform; resolves once they are committed. */
    async receive(platform: string, deliveries: OrderDelivery[]): Promise<void> {
      await writer.receive(platform, deliveries);
      dispatcher.schedule();
    },
    /** Set by the composition root: how a platform's stored delivery becomes the common order. */
    useReader(read: DeliveryReader): void {
      reader = read;
    },
    dispatchPending: dispatcher.dispatchPending,
    stop: dispatcher.stop,
    processBatch: processor.processBatch,
    ...createInboxAdmin({ db, models, queue, audit: deps.audit }),
  };
}

export type OrderInbox = ReturnType<typeof createOrderInbox>;
