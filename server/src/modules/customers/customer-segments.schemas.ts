import { z } from 'zod';
import { customerFilter } from './customer.schemas';

/** A segment's filter: the list filter without an exact phone number (no personal data at rest in plain text). */
export const segmentFilter = customerFilter.omit({ phone: true });

export const segmentBody = z.object({
  name: z.string().trim().min(1, 'required').max(64),
  filter: segmentFilter,
  shared: z.boolean().default(false).describe('shared segments are listed for every user (each still sees only customers in their own scope)'),
});
export const segmentPatch = z.object({ name: segmentBody.shape.name.optional(), filter: segmentFilter.optional(), shared: z.boolean().optional() });
export type SegmentInput = z.infer<typeof segmentBody>;
export type SegmentPatch = z.infer<typeof segmentPatch>;

export const segment = z.object({
  id: z.number().int(),
  name: z.string(),
  filter: segmentFilter,
  shared: z.boolean(),
  ownerUserId: z.number().int(),
  ownerName: z.string().nullable(),
  mine: z.boolean(),
  updatedAt: z.string(),
});
