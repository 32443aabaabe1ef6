import { z } from 'zod';
import type { Database } from '../../core/db/database';
import type { Models } from '../../core/db/models';
import type { JobQueue } from '../../core/jobs/job-queue';
import type { Scheduler } from '../../core/jobs/scheduler';
import type { Logger } from '../../core/logger';
import type { AuditService } from '../audit/audit.service';
import type { TimelineWriter } from '../customers/customer-timeline';
import type { WecomEventRouter } from '../wecom/wecom-event-router';
import type { WecomRuntime } from '../wecom/wecom-runtime';
import { createDepartedEmployees } from './departed-employees.service';
import { createHandoverSubmitter } from './handover-submitter';
import { createHandoverTracker } from './handover-tracker';
import { createHandoverService, SUBMIT_JOB } from './handover.service';

const POLL_JOB = 'handover.poll';

/**
 * Handover (客户继承): the service behind the API, plus the durable work that keeps it going — the
 * submit job backing each handover, a scheduled poll of WeCom's transfer results (which also resumes
 * submissions a crash left queued), and the transfer_fail callback.
 */
export function createHandover(deps: { db: Database; models: Models; audit: AuditService; queue: JobQueue; scheduler: Scheduler; runtime: WecomRuntime; events: WecomEventRouter; timeline: TimelineWriter; log: Logger }) {
  const { queue, scheduler, events, log } = deps;
  const departed = createDepartedEmployees(deps);
  const submitter = createHandoverSubmitter(deps);
  const tracker = createHandoverTracker(deps);
  const service = createHandoverService({ ...deps, departed, submitter, tracker });

  queue.register({ type: SUBMIT_JOB, payload: z.object({ handoverId: z.number().int().positive() }), maxAttempts: 12, handle: async ({ handoverId }) => void (await submitter.submit(handoverId)) });
  queue.register({
    type: POLL_JOB,
    payload: z.object({}),
    maxAttempts: 3,
    handle: async () => {
      for (const handoverId of await submitter.pendingHandoverIds()) await submitter.submit(handoverId);
      const result = await tracker.poll();
      if (result.done || result.failed) log.info(result, 'handover results polled');
    },
  });
  // WeCom settles a transfer within 24 h; every 10 minutes is frequent enough and costs one call per pair.
  scheduler.register({ name: 'handover.poll', schedule: '*/10 * * * *', run: (tick) => queue.enqueue(POLL_JOB, {}, { dedupeKey: `handover-poll:${tick.toISOString()}` }) });
  events.on('external_contact', async (event, { tx }) => {
    if (event.changeType === 'transfer_fail') await tracker.onTransferFail(event, tx);
  });

  return { ...service, departed, submitter, tracker, pollJob: POLL_JOB };
}

export type Handover = ReturnType<typeof createHandover>;
