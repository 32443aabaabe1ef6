import { z } from 'zod';

/**
 * The fixed catalogue of events a journey stage can be defined by. Each type names where its
 * instants come from (see journey-event-sql); the settings narrow it down.
 */
export const journeyEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('customer_added').describe('the customer was added (customers.added_at)') }),
  z.object({
    type: z.literal('first_message').describe('a one-to-one chat message in the chat archive'),
    from: z.enum(['customer', 'any']).default('customer').describe('customer: the customer wrote (a reply); any: either side'),
  }),
  z.object({ type: z.literal('tag_added').describe('a tag the customer carries was added'), tagId: z.number().int().positive().optional().describe('this tag only; any tag when absent') }),
  z.object({ type: z.literal('stage_reached').describe('the customer was moved to a lifecycle stage'), stage: z.string().trim().min(1).max(32).describe('customer stage code') }),
  z.object({ type: z.literal('order_created').describe("the customer's N-th shop order (cancelled orders do not count)"), nth: z.number().int().min(1).max(10) }),
  z.object({ type: z.literal('work_order_completed').describe('a work order of the customer was completed') }),
]);

export type JourneyEvent = z.infer<typeof journeyEvent>;
export type JourneyEventType = JourneyEvent['type'];
