import { z } from 'zod';
import type { Services } from '../../app';
import { PROCESS_JOB } from './wecom-callback.service';

export function registerWecomJobs(services: Pick<Services, 'queue' | 'wecom'>) {
  services.queue.register({
    type: PROCESS_JOB,
    payload: z.object({ callbackId: z.number().int().positive() }),
    maxAttempts: 10,
    handle: ({ callbackId }) => services.wecom.callbacks.process(callbackId),
  });
}
