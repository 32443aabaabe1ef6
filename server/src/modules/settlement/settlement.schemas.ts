import { z } from 'zod';
import { pageQuery } from '../../core/http/pagination';
import { payeeKinds, ruleSetDefinition } from './settlement-rules';

const id = z.coerce.number().int().positive();
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD').refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)), 'not a calendar date');
const text = (max: number) => z.string().trim().min(1).max(max);

export const payeeListQuery = pageQuery.extend({ kind: z.enum(payeeKinds).optional(), keyword: z.string().min(1).max(64).optional() });
export type PayeeListQuery = z.infer<typeof payeeListQuery>;
export const payeeBody = z.object({
  kind: z.enum(payeeKinds),
  name: text(100),
  userId: z.number().int().positive().optional(),
  storeId: z.number().int().positive().optional(),
  regionId: z.number().int().positive().optional(),
  allowNegativeCarry: z.boolean().optional(),
});
export type PayeeInput = z.infer<typeof payeeBody>;
export const payeePatch = z.object({ name: text(100).optional(), allowNegativeCarry: z.boolean().optional(), status: z.enum(['active', 'inactive']).optional() });
export type PayeePatch = z.infer<typeof payeePatch>;
export const payeeItem = z.object({ id: z.number(), kind: z.enum(payeeKinds), name: z.string(), userId: z.number().nullable(), storeId: z.number().nullable(), regionId: z.number().nullable(), allowNegativeCarry: z.boolean(), status: z.string() });

export const ruleSetBody = z.object({ code: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'lower-case letters, digits and _, starting with a letter'), name: text(100), payeeKind: z.enum(payeeKinds) });
export type RuleSetInput = z.infer<typeof ruleSetBody>;
export const draftBody = z.object({ definition: ruleSetDefinition, draftVersion: z.number().int().min(0) });
export type DraftInput = z.infer<typeof draftBody>;
export const publishBody = z.object({ effectiveFrom: isoDate });
export const previewBody = z.object({ periodId: z.number().int().positive() });
export const versionParams = z.object({ id, versionId: id });

export const statementQuery = pageQuery.extend({ periodId: id, payeeKind: z.enum(payeeKinds).optional(), keyword: z.string().min(1).max(64).optional() });
export type StatementQuery = z.infer<typeof statementQuery>;
export const lineQuery = pageQuery.extend({
  periodId: id.optional(),
  payeeId: id.optional(),
  workOrderId: id.optional(),
  disputed: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
});
export type LineQuery = z.infer<typeof lineQuery>;
export const disputeBody = z.object({ comment: text(500) });
export const resolveBody = z.object({ resolution: text(500), adjustmentFen: z.number().int().min(-1e10).max(1e10).optional() });
export type ResolveInput = z.infer<typeof resolveBody>;
export const reasonBody = z.object({ reason: text(500) });

export const reportGroups = ['technician', 'region', 'product_line', 'source'] as const;
export type ReportGroup = (typeof reportGroups)[number];
export const reportQuery = z.object({ periodId: id, groupBy: z.enum(reportGroups) });
export const earningsQuery = z.object({ periodId: id.optional() });

export const periodItem = z.object({ id: z.number(), code: z.string(), startsOn: z.string(), endsOn: z.string(), status: z.string(), linesHash: z.string().nullable(), closedAt: z.string().nullable(), jobCount: z.number(), totalFen: z.number() });
export const statementItem = z.object({
  id: z.number().nullable(),
  periodId: z.number(),
  periodCode: z.string(),
  payeeId: z.number(),
  payeeName: z.string(),
  payeeKind: z.string(),
  openingBalanceFen: z.number(),
  linesTotalFen: z.number(),
  heldFen: z.number(),
  payableFen: z.number(),
  carriedFen: z.number(),
  lineCount: z.number(),
  hash: z.string().nullable(),
  provisional: z.boolean(),
});
export const lineItem = z
  .object({ id: z.number(), periodId: z.number(), payeeId: z.number(), workOrderId: z.number().nullable(), ruleKey: z.string(), lineType: z.string(), state: z.string(), amountFen: z.number(), formula: z.string(), correctsLineId: z.number().nullable(), disputeStatus: z.string() })
  .passthrough();
