import type { OrderDelivery } from '@scrm/plugin-sdk';
import type { FieldCipher } from '../../core/crypto/field-cipher';
import type { Database } from '../../core/db/database';
import { driverExecute } from '../../core/db/driver-execute';
import { retryOnConflict } from '../../core/db/retry-on-conflict';
import { sqlInstant } from '../../core/db/sql-instant';
import { createWriteBatcher } from '../../core/db/write-batcher';
import { validationFailed } from '../../core/errors';
import { orderDeliveries } from './order.schemas';

type InboxRow = [platform: string, platformOrderId: string, event: string, payloadEnc: string, receivedAt: string];

/**
 * Stores order deliveries before the platform is answered: raw multi-row upserts grouped while a
 * previous statement is in flight (the write-batcher), idempotent on (platform, order id, event):
 * a repeat only counts a delivery. The promise settles once the row is committed.
 */
export function createOrderInboxWriter(deps: { db: Database; cipher: FieldCipher }) {
  const { db, cipher } = deps;
  const upsert = db.dialect === 'mysql' ? 'ON DUPLICATE KEY UPDATE deliveries = deliveries + 1' : 'ON CONFLICT(platform, platform_order_id, event) DO UPDATE SET deliveries = deliveries + 1';
  const batcher = createWriteBatcher<InboxRow>(
    async (rows) => {
      const values = rows.map(() => '(?, ?, ?, ?, ?, 1)').join(', ');
      const sql = `INSERT INTO order_inbox (platform, platform_order_id, event, payload_enc, received_at, deliveries) VALUES ${values} ${upsert}`;
      // An upsert racing the dispatcher's locking read can be picked as a deadlock victim: it applied nothing, so run it again.
      await retryOnConflict(() => db.exclusive(() => driverExecute(db.sequelize, sql, rows.flat())));
    },
    { maxInFlight: 4 },
  );

  return {
    async receive(platform: string, deliveries: OrderDelivery[]): Promise<void> {
      const checked = orderDeliveries.safeParse(deliveries);
      if (!checked.success) throw validationFailed(checked.error.issues.map((issue) => ({ path: [`${platform} deliveries`, ...issue.path].join('.'), message: issue.message })));
      const receivedAt = sqlInstant(db.dialect, new Date());
      await Promise.all(checked.data.map((d) => batcher.write([platform, d.platformOrderId, d.event, cipher.encrypt(d.payload), receivedAt])));
    },
  };
}

export type OrderInboxWriter = ReturnType<typeof createOrderInboxWriter>;
