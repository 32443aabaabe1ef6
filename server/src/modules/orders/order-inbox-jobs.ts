import { z } from 'zod';

/** Processes a batch of stored order deliveries. */
export const INBOX_JOB = 'orders.inbox.process';
export const INBOX_JOB_ATTEMPTS = 10;
export const inboxJobPayload = z.object({ deliveryIds: z.array(z.number().int().positive()).min(1).max(500) });

