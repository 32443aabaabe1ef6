import { z } from 'zod';
import { pageQuery, pageSchema } from '../../../core/http/pagination';
import { journeyEvent } from './journey-catalogue';

/** A journey has at least two stages (one step to convert) and at most this many. */
export const MIN_STAGES = 2;
export const MAX_STAGES = 8;

export const stageBody = z.object({
  nameZh: z.string().trim().min(1).max(32).describe('stage name shown in the console (zh-CN)'),
  nameEn: z.string().trim().max(32).nullable().optional().describe('English name; the Chinese one when empty'),
  event: journeyEvent,
});
export type StageBody = z.infer<typeof stageBody>;

export const stagePatch = stageBody.partial();
export type StagePatch = z.infer<typeof stagePatch>;

export const reorderBody = z.object({ ids: z.array(z.number().int().positive()).min(MIN_STAGES).max(MAX_STAGES).describe('every stage id, in the new order') });

export const stageView = z.object({ id: z.number().int(), nameZh: z.string(), nameEn: z.string().nullable(), event: journeyEvent, order: z.number().int() });
export type StageView = z.infer<typeof stageView>;

const businessDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD (Asia/Shanghai)').refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)), 'not a calendar date');

const filterShape = {
  from: businessDate.optional().describe('customers added on or after this day (Asia/Shanghai)'),
  to: businessDate.optional().describe('customers added on or before this day (Asia/Shanghai)'),
  storeId: z.coerce.number().int().positive().optional().describe("the customer's store"),
  contactWayId: z.coerce.number().int().positive().optional().describe('customers whose first channel (contact way) was this one'),
};
const periodInOrder = (q: { from?: string; to?: string }) => !q.from || !q.to || q.from <= q.to;
const periodMessage = { message: 'must not be before from', path: ['to'] };

export const funnelQuery = z.object(filterShape).refine(periodInOrder, periodMessage);
export type FunnelQuery = z.infer<typeof funnelQuery>;

export const stepCustomersQuery = z
  .object({
    ...filterShape,
    ...pageQuery.shape,
    step: z.coerce.number().int().min(1).max(MAX_STAGES).describe('1-based position of the stage'),
    mode: z.enum(['reached', 'dropped']).default('reached').describe('reached: got to the stage; dropped: got to the stage before but not this one'),
  })
  .refine(periodInOrder, periodMessage)
  .refine((q) => q.mode === 'reached' || q.step > 1, { message: 'the first stage has no stage before it to drop from', path: ['step'] });
export type StepCustomersQuery = z.infer<typeof stepCustomersQuery>;

const rate = z.number().describe('0…1, four decimals');
const seconds = z.number().int().nullable().describe('seconds from the previous stage; null for the first stage or when nobody reached it');

export const funnelView = z.object({
  customers: z.number().int().describe('customers added in the period (within scope and filters)'),
  stages: z.array(
    stageView.extend({
      reached: z.number().int(),
      conversionFromPrevious: rate.describe('reached ÷ the previous stage (the first stage: ÷ customers)'),
      conversionFromFirst: rate,
      averageSeconds: seconds,
      medianSeconds: seconds,
    }),
  ),
  channels: z.array(
    z.object({
      contactWayId: z.number().int().nullable().describe('null: customers who came through no contact way'),
      name: z.string().nullable(),
      customers: z.number().int(),
      reached: z.array(z.number().int()).describe('customers reaching each stage, in stage order'),
      conversion: rate.describe('last stage ÷ first stage'),
    }),
  ),
});
export type FunnelView = z.infer<typeof funnelView>;

export const stepCustomerView = z.object({
  id: z.number().int(),
  name: z.string(),
  storeId: z.number().int().nullable(),
  storeName: z.string().nullable(),
  contactWayName: z.string().nullable(),
  addedAt: z.string().nullable(),
  at: z.string().describe('when the stage was reached (dropped: when the stage before was)'),
});
export const stepCustomersPage = pageSchema(stepCustomerView);

export const stageIdParams = z.object({ id: z.coerce.number().int().positive() });
