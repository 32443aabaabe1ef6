import { z } from 'zod';

/**
 * A work-order flow: a chain of nodes joined by edges. Drafts and published versions store this
 * document as JSON; publishing validates it (reachability, dead ends, default edges, known fields,
 * existing roles and calendars). Conditions are json-rules-engine condition objects — data, never code.
 */

export const nodeKey = z.string().regex(/^[a-z][a-z0-9_]{0,47}$/, 'lower-case letters, digits and _, starting with a letter');

export const nodeTypes = ['task', 'approval', 'auto', 'end'] as const;
export type NodeType = (typeof nodeTypes)[number];

/** Who handles a node's task. Roles are role codes, matched within the order's store. */
export const assigneeRule = z.discriminatedUnion('strategy', [
  z.object({ strategy: z.literal('user'), userId: z.number().int().positive() }),
  z.object({ strategy: z.literal('role'), roleCode: z.string().min(1).max(64) }),
  z.object({ strategy: z.literal('store_manager') }),
  /** Anyone with the role in the store may claim it; the first claim wins. */
  z.object({ strategy: z.literal('pool'), roleCode: z.string().min(1).max(64) }),
  z.object({ strategy: z.literal('round_robin'), roleCode: z.string().min(1).max(64) }),
  z.object({ strategy: z.literal('least_open'), roleCode: z.string().min(1).max(64) }),
  /** The nearest available user with the role (and every listed skill), by their last GPS fix. */
  z.object({ strategy: z.literal('nearest'), roleCode: z.string().min(1).max(64), skills: z.array(z.string().min(1).max(32)).max(20).default([]), maxKm: z.number().positive().max(500).optional() }),
]);
export type AssigneeRule = z.infer<typeof assigneeRule>;

export const formFieldTypes = ['text', 'number', 'date', 'select', 'multiselect', 'boolean'] as const;

export const formField = z.object({
  key: nodeKey,
  label: z.string().min(1).max(64),
  type: z.enum(formFieldTypes),
  required: z.boolean().default(false),
  options: z.array(z.string().min(1).max(64)).max(100).optional(),
});
export type FormField = z.infer<typeof formField>;

/** The evidence a node's task requires before the server accepts its completion. */
export const nodeForm = z.object({
  fields: z.array(formField).max(50).default([]),
  minPhotos: z.number().int().min(0).max(50).default(0),
  signature: z.boolean().default(false),
  /** GPS check-in within this many metres of the customer's address. */
  checkInWithinMeters: z.number().int().positive().max(100_000).optional(),
  partsList: z.boolean().default(false),
});
export type NodeForm = z.infer<typeof nodeForm>;

/** A time limit measured on a business calendar (working hours, holidays, make-up workdays). */
export const timeLimit = z.object({
  minutes: z.number().int().positive().max(60 * 24 * 365),
  /** Business-calendar code; `default` is seeded. */
  calendar: z.string().min(1).max(32).default('default'),
});

export const escalationActions = ['remind_assignee', 'notify_store_manager', 'reassign', 'escalate'] as const;

/** One escalation step: at a share of the time limit, or a fixed (business) time after the node started. */
export const escalationStep = z
  .object({
    atPercent: z.number().int().min(1).max(1000).optional(),
    afterMinutes: z.number().int().positive().max(60 * 24 * 365).optional(),
    action: z.enum(escalationActions),
    /** For reassign/escalate: the role (in the order's store, else region) that takes over. */
    toRoleCode: z.string().min(1).max(64).optional(),
  })
  .refine((s) => (s.atPercent === undefined) !== (s.afterMinutes === undefined), { message: 'give exactly one of atPercent or afterMinutes' });
export type EscalationStep = z.infer<typeof escalationStep>;

/**
 * A json-rules-engine condition (`{ all: [...] }`, `{ any: [...] }`, `{ not: … }` or a leaf
 * `{ fact, operator, value, path? }`). Facts: `order` (path `$.<order field>`) and `form`
 * (path `$.<field key>` of the node being completed). Checked structurally at publish time.
 */
export type FlowCondition =
  | { all: FlowCondition[] }
  | { any: FlowCondition[] }
  | { not: FlowCondition }
  | { fact: 'order' | 'form'; path: string; operator: string; value: unknown };

const leafPath = /^\$\.[A-Za-z][A-Za-z0-9_]*$/;

/** Why `value` is not a FlowCondition (with the JSON path of the first problem), or null. */
export function conditionProblem(value: unknown, at = 'condition', depth = 0): string | null {
  if (depth > 10) return `${at}: nested too deeply`;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return `${at}: must be an object`;
  const v = value as Record<string, unknown>;
  for (const group of ['all', 'any'] as const) {
    if (group in v) {
      const items = v[group];
      if (!Array.isArray(items) || items.length === 0 || items.length > 50) return `${at}.${group}: 1 to 50 conditions`;
      for (const [i, item] of items.entries()) {
        const problem = conditionProblem(item, `${at}.${group}[${i}]`, depth + 1);
        if (problem) return problem;
      }
      return null;
    }
  }
  if ('not' in v) return conditionProblem(v.not, `${at}.not`, depth + 1);
  if (v.fact !== 'order' && v.fact !== 'form') return `${at}.fact: must be "order" or "form"`;
  if (typeof v.path !== 'string' || !leafPath.test(v.path)) return `${at}.path: must look like $.fieldName`;
  if (typeof v.operator !== 'string' || !v.operator) return `${at}.operator: required`;
  if (!('value' in v)) return `${at}.value: required`;
  return null;
}

/**
 * Described to OpenAPI as a plain object (a recursive schema would not document well); checked
 * structurally by `conditionProblem`.
 */
export const flowCondition = z
  .record(z.string(), z.unknown())
  .superRefine((value, ctx) => {
    const problem = conditionProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .transform((value) => value as unknown as FlowCondition);

/** Edges are tried in ascending priority; the first whose condition holds is taken, else the default. */
export const flowEdge = z.object({
  to: nodeKey,
  priority: z.number().int().min(0).max(1000),
  condition: flowCondition.optional(),
  /** Exactly one edge of a branching node is the default (taken when no condition holds). */
  isDefault: z.boolean().default(false),
});
export type FlowEdge = z.infer<typeof flowEdge>;

export const flowNode = z.object({
  key: nodeKey,
  name: z.string().min(1).max(64),
  type: z.enum(nodeTypes),
  assignee: assigneeRule.optional(),
  form: nodeForm.optional(),
  timeLimit: timeLimit.optional(),
  escalations: z.array(escalationStep).max(10).default([]),
  /** For `auto` nodes: a registered automatic step (system or plugin), e.g. `system.reserve_parts`. */
  automation: z
    .object({
      step: z.string().min(1).max(64),
      settings: z.record(z.string(), z.unknown()).default({}),
      /** For asynchronous steps: when this step fails for good, undo the order's earlier automatic steps (release reserved parts). */
      compensatePrevious: z.boolean().optional(),
    })
    .optional(),
  edges: z.array(flowEdge).max(20).default([]),
  /** Position in the visual editor. */
  ui: z.object({ x: z.number(), y: z.number() }).optional(),
});
export type FlowNode = z.infer<typeof flowNode>;

export const flowDefinition = z.object({
  start: nodeKey,
  nodes: z.array(flowNode).min(1).max(100),
});
export type FlowDefinition = z.infer<typeof flowDefinition>;

/** Order fields a condition may refer to (`order` fact). */
export const orderConditionFields = ['serviceItem', 'productCategory', 'sourceChannel', 'storeCode', 'regionCode', 'priority', 'amountFen', 'quantity', 'isVip'] as const;
