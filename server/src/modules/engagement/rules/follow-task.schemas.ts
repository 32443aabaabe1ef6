import { z } from 'zod';
import { pageQuery } from '../../../core/http/pagination';

export const followTaskQuery = pageQuery.extend({
  status: z.enum(['open', 'done']).optional(),
  assigneeUserId: z.coerce.number().int().positive().optional().describe('the employee the task is for'),
  customerId: z.coerce.number().int().positive().optional(),
});
export type FollowTaskQuery = z.infer<typeof followTaskQuery>;

export const followTaskView = z.object({
  id: z.number().int(),
  title: z.string(),
  status: z.enum(['open', 'done']),
  dueAt: z.string(),
  overdue: z.boolean(),
  customerId: z.number().int(),
  customerName: z.string().nullable(),
  assigneeUserId: z.number().int().nullable(),
  assigneeName: z.string().nullable(),
  ruleId: z.number().int().nullable(),
  ruleName: z.string().nullable(),
  reminderStatus: z.enum(['pending', 'sent', 'skipped', 'failed']),
  reminderError: z.string().nullable(),
  doneAt: z.string().nullable(),
  createdAt: z.string(),
});
export type FollowTaskView = z.infer<typeof followTaskView>;
