import { z } from 'zod';
import type { Services } from '../../app';
import { PROCESS_JOB } from './wecom-callback.service';

export function registerWecomJobs(services: Pick<Services, 'queue' | 'wecom'>) {
  const { callbacks } = services.wecom;
  services.queue.register({
    type: PROCESS_JOB,
    payload: z.object({ callbackIds: z.array(z.number().int().positive()).min(1).max(500) }),
    maxAttempts: 10,
    handle: ({ callbackIds }) => callbacks.processBatch(callbackIds),
  });
}
