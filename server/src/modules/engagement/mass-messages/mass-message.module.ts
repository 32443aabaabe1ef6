import { z } from 'zod';
import type { Services } from '../../../app';
import type { Actor } from '../../access/actor';
import type { MediaCache } from '../media-cache';
import { createMassResultPoller } from './mass-message-results';
import { createMassMessageSender } from './mass-message-sender';
import { createMassMessageService, MASS_SEND_JOB } from './mass-message.service';

/** Every minute: scheduled mass messages start on time. */
const DISPATCH_SCHEDULE = '0 * * * * *';
/** Every five minutes (at :30 s): the employees' group-send results. Both elected once across instances. */
const RESULTS_SCHEDULE = '30 */5 * * * *';

type Deps = Pick<Services, 'db' | 'models' | 'audit' | 'queue' | 'scheduler' | 'wecom' | 'log' | 'pii'>;

/** The mass message service with the console's "refresh results now". */
export function createMassMessages(services: Deps) {
  const { db, models, audit, queue, wecom } = services;
  const service = createMassMessageService({ db, models, audit, queue, wecom, phone: services.pii.phone });
  const poller = createMassResultPoller({ db, models, runtime: wecom.runtime, log: services.log.child({ component: 'mass-messages' }) });
  return {
    ...service,
    async refreshResults(actor: Actor, id: number) {
      await service.get(actor, id);
      await poller.pollOne(id);
      return service.get(actor, id);
    },
  };
}

export type MassMessages = ReturnType<typeof createMassMessages>;

/** The send job, the scheduled-send dispatch and the results poll. */
export function registerMassMessages(services: Deps, media: MediaCache): void {
  const { db, models, audit, queue, wecom } = services;
  const log = services.log.child({ component: 'mass-messages' });
  const sender = createMassMessageSender({ db, models, audit, phone: services.pii.phone, runtime: wecom.runtime, media, log });
  const poller = createMassResultPoller({ db, models, runtime: wecom.runtime, log });
  const massMessages = createMassMessageService({ db, models, audit, queue, wecom, phone: services.pii.phone });
  queue.register({ type: MASS_SEND_JOB, payload: z.object({ massMessageId: z.number().int().positive() }), maxAttempts: 3, handle: (p) => sender.send(p.massMessageId) });
  services.scheduler.register({ name: 'engagement.mass-messages.dispatch', schedule: DISPATCH_SCHEDULE, run: (tick) => massMessages.dispatchDue(tick) });
  services.scheduler.register({ name: 'engagement.mass-messages.results', schedule: RESULTS_SCHEDULE, run: () => poller.poll() });
}
