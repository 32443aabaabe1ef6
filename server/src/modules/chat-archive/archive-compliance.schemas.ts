import { z } from 'zod';
import { pageQuery, pageSchema } from '../../core/http/pagination';
import { patternProblem } from './archive-rule-pattern';
import { alertStatuses, ruleSeverities } from './archive-compliance.models';

const ruleFields = {
  name: z.string().trim().min(1).max(64),
  kind: z.enum(['word', 'regex']),
  /** Word rules: any of these words (case-insensitive) raises an alert. */
  keywords: z.array(z.string().trim()).max(50).optional(),
  /** Regex rules: one guarded regular expression (no back references, no nested quantifiers). */
  pattern: z.string().optional(),
  severity: z.enum(ruleSeverities).default('medium'),
  /** Stores the rule applies to; empty or missing: every store. */
  storeIds: z.array(z.number().int().positive()).max(500).optional(),
  enabled: z.boolean().default(true),
};

/** Checks the words or the expression with the same rules the worker relies on to stay fast. */
function checkPattern(rule: { kind?: 'word' | 'regex'; keywords?: string[]; pattern?: string }, ctx: z.RefinementCtx): void {
  if (rule.kind === 'word') {
    if (!rule.keywords?.length) ctx.addIssue({ code: 'custom', path: ['keywords'], message: 'a word rule needs at least one keyword' });
    rule.keywords?.forEach((word, i) => {
      const problem = patternProblem('word', word);
      if (problem) ctx.addIssue({ code: 'custom', path: ['keywords', i], message: problem });
    });
  }
  if (rule.kind === 'regex') {
    const problem = patternProblem('regex', rule.pattern ?? '');
    if (problem) ctx.addIssue({ code: 'custom', path: ['pattern'], message: problem });
  }
}

export const ruleBody = z.object(ruleFields).strict().superRefine(checkPattern);
export type RuleInput = z.infer<typeof ruleBody>;

export const rule = z.object({
  id: z.number(),
  name: z.string(),
  kind: z.enum(['word', 'regex']),
  keywords: z.array(z.string()),
  pattern: z.string().nullable(),
  severity: z.enum(ruleSeverities),
  storeIds: z.array(z.number()),
  enabled: z.boolean(),
  updatedAt: z.date(),
});
export type RuleView = z.infer<typeof rule>;

export const alertQuery = pageQuery.extend({
  ruleId: z.coerce.number().int().positive().optional(),
  storeId: z.coerce.number().int().positive().optional(),
  employee: z.string().max(64).optional(),
  status: z.enum(alertStatuses).optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
});
export type AlertQuery = z.infer<typeof alertQuery>;

export const alert = z.object({
  id: z.number(),
  messageId: z.number(),
  ruleId: z.number(),
  ruleName: z.string(),
  severity: z.enum(ruleSeverities),
  employee: z.string().nullable(),
  employeeName: z.string().nullable(),
  customerId: z.number().nullable(),
  customerName: z.string().nullable(),
  roomId: z.string().nullable(),
  storeId: z.number().nullable(),
  storeName: z.string().nullable(),
  excerpt: z.string(),
  time: z.date().nullable(),
  status: z.enum(alertStatuses),
  handledBy: z.string().nullable(),
  handledAt: z.date().nullable(),
  note: z.string().nullable(),
  createdAt: z.date(),
});
export type AlertView = z.infer<typeof alert>;
export const alertPage = pageSchema(alert);

export const handleBody = z.object({ note: z.string().trim().min(1).max(500) }).strict();

export const mediaQuery = z.object({ item: z.coerce.number().int().min(0).max(100).optional() });
