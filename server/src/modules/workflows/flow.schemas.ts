import { z } from 'zod';
import { flowDefinition } from './flow-definition';

export const flowCodeParams = z.object({ code: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/) });
export const flowVersionParams = z.object({ id: z.coerce.number().int().positive(), version: z.coerce.number().int().positive() });
export const diffQuery = z.object({ from: z.coerce.number().int().positive(), to: z.coerce.number().int().positive() });

export const createFlowBody = z.object({
  code: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'lower-case letters, digits and _, starting with a letter'),
  name: z.string().trim().min(1).max(64),
  description: z.string().trim().max(500).optional(),
});
export type CreateFlowInput = z.infer<typeof createFlowBody>;

export const saveDraftBody = z.object({
  name: z.string().trim().min(1).max(64).optional(),
  description: z.string().trim().max(500).nullable().optional(),
  definition: flowDefinition,
  /** The draft version this edit started from; an older one than the stored draft is refused (409). */
  draftVersion: z.number().int().positive(),
});
export type SaveDraftInput = z.infer<typeof saveDraftBody>;

export const publishBody = z.object({
  /** When given, publishing is refused if the draft changed since (409). */
  draftVersion: z.number().int().positive().optional(),
});

const iso = z.string().describe('ISO-8601 UTC');

export const flowSummary = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  draftVersion: z.number().int(),
  latestVersion: z.number().int().nullable(),
  latestPublishedAt: iso.nullable(),
  /** The draft differs from the latest published version. */
  unpublishedChanges: z.boolean(),
  nodeCount: z.number().int(),
  updatedAt: iso,
});

export const flowView = flowSummary.extend({ draft: z.record(z.string(), z.unknown()).describe('the draft flow document') });

export const versionSummary = z.object({
  id: z.number().int(),
  flowId: z.number().int(),
  version: z.number().int(),
  publishedAt: iso,
  publishedBy: z.string().nullable(),
  nodeCount: z.number().int(),
  /** Work orders on this version (0 when work orders are not installed). */
  orderCount: z.number().int(),
});

export const versionView = versionSummary.extend({ definition: z.record(z.string(), z.unknown()).describe('the flow document') });

const keyName = z.object({ key: z.string(), name: z.string() });
const edgeRef = z.object({ from: z.string(), to: z.string() });
export const diffView = z.object({
  from: z.number().int(),
  to: z.number().int(),
  startChanged: z.object({ from: z.string(), to: z.string() }).nullable(),
  nodesAdded: z.array(keyName),
  nodesRemoved: z.array(keyName),
  nodesChanged: z.array(keyName.extend({ fields: z.array(z.string()) })),
  edgesAdded: z.array(edgeRef),
  edgesRemoved: z.array(edgeRef),
  edgesChanged: z.array(edgeRef.extend({ fields: z.array(z.string()) })),
});

export const problemView = z.object({ path: z.string(), nodeKey: z.string().nullable(), message: z.string() });

export const optionsView = z.object({
  roles: z.array(z.object({ code: z.string(), name: z.string() })),
  calendars: z.array(z.object({ code: z.string(), name: z.string() })),
  automaticSteps: z.array(z.string()),
  orderFields: z.array(z.string()),
  operators: z.array(z.string()),
});
