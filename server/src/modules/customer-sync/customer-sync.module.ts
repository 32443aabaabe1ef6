import { z } from 'zod';
import type { Services } from '../../app';
import { createCustomerApplier } from './customer-apply';
import { createFullSyncRunner } from './customer-full-sync.runner';
import { createReconcileRunner } from './customer-reconcile.runner';
import { createCustomerRefresher, hintOf, REFRESH_JOB, refreshPayload } from './customer-refresh';
import { LOSS_ALERT_JOB } from './follow-loss';
import { createLossAlertSender } from './loss-alert.sender';
import { createRemarkMobilesCodec } from './remark-mobiles';

/** Nightly at 03:00 Asia/Shanghai (19:00 UTC); the scheduler's cron runs in UTC. */
const RECONCILE_SCHEDULE = '0 0 19 * * *';

type CustomerSyncServices = Pick<Services, 'db' | 'models' | 'kv' | 'log' | 'pii' | 'queue' | 'scheduler' | 'timeline' | 'wecom' | 'outbox'>;

/**
 * Customer sync: the full sync and the reconciliation as sync kinds, incremental updates from every
 * change_external_contact event (transfer_fail is the handover's), and loss alerts.
 */
export function registerCustomerSync(services: CustomerSyncServices) {
  const { db, models, kv, queue, timeline, wecom } = services;
  const log = services.log.child({ component: 'customer-sync' });
  const phone = services.pii.phone;
  const apply = createCustomerApplier({ db, models, timeline, phone, mobiles: createRemarkMobilesCodec({ phone, list: services.pii.address }) });
  const lossDeps = { models, timeline, phone, queue };

  wecom.syncRuns.register(
    'customers',
    createFullSyncRunner({
      db,
      models,
      runtime: wecom.runtime,
      apply,
      log,
      // Tags we do not know yet: have the tag sync fetch them; the next reconciliation marks them.
      afterUnknownTags: async () => {
        if (wecom.syncRuns.registered('tags')) await wecom.syncRuns.start('tags', 'manual', { ifRunning: 'return' });
      },
    }),
  );
  wecom.syncRuns.register('reconcile', createReconcileRunner({ ...lossDeps, db, runtime: wecom.runtime, apply }));

  const refresh = createCustomerRefresher({ ...lossDeps, db, kv, runtime: wecom.runtime, apply, events: services.outbox });
  queue.register({ type: REFRESH_JOB, payload: refreshPayload, maxAttempts: 10, handle: (payload) => refresh(payload) });
  wecom.events.on('external_contact', async (event, { tx, callbackId }) => {
    if (event.changeType === 'transfer_fail') return;
    if (!(await wecom.runtime.appClient('customer'))) {
      // Nothing can be read back without the customer contact app; the next sync repairs the store.
      log.warn({ callbackId, changeType: event.changeType }, 'customer contact app not set up: change left to the next sync');
      return;
    }
    await queue.enqueue(REFRESH_JOB, hintOf(event), { transaction: tx, dedupeKey: `customer-refresh:cb:${callbackId}` });
  });

  const sendAlert = createLossAlertSender({ models, runtime: wecom.runtime, log });
  queue.register({ type: LOSS_ALERT_JOB, payload: z.object({ alertId: z.number().int().positive() }), maxAttempts: 10, handle: (payload) => sendAlert(payload) });

  services.scheduler.register({
    name: 'wecom.sync.reconcile',
    schedule: RECONCILE_SCHEDULE,
    run: async () => {
      if (await wecom.runtime.client()) await wecom.syncRuns.start('reconcile', 'schedule', { ifRunning: 'return' });
    },
  });
}
