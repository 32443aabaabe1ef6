import { z } from 'zod';

/**
 * The settlement contract: who gets paid (payees), the rule-set document that prices jobs, the
 * facts a rule may look at, and the lines pricing produces. Money is integer fen everywhere;
 * fractional intermediate values (percentages, per-hour amounts) are computed with decimal.js and
 * rounded HALF_UP to the fen once, at line level.
 */

export const payeeKinds = ['technician', 'dealer', 'store', 'company'] as const;
export type PayeeKind = (typeof payeeKinds)[number];

export const ruleKey = z.string().regex(/^[a-z][a-z0-9_]{0,47}$/, 'lower-case letters, digits and _, starting with a letter');

/**
 * A json-rules-engine condition over the job facts (`{ all | any: [...] }`, `{ not }`, or a leaf
 * `{ fact, path?, operator, value }`). Leaf facts are the top-level keys of `JobFacts`; paths are
 * JSONPath into them (e.g. fact `form`, path `$.install.height_m`). Data, never code.
 */
export type RuleCondition =
  | { all: RuleCondition[] }
  | { any: RuleCondition[] }
  | { not: RuleCondition }
  | { fact: JobFactName; path?: string; operator: string; value: unknown };

export const jobFactNames = ['order', 'workOrder', 'form', 'customer', 'store', 'region', 'source', 'rating', 'serviceItems', 'complaints', 'lateMinutes', 'recycledUnits', 'hours'] as const;
export type JobFactName = (typeof jobFactNames)[number];

/**
 * What a job is priced on, snapshotted when the job completes (so re-pricing the same job gives the
 * same lines). Documented to users in the rule builder (zh-CN/en-US labels) and the README.
 */
export interface JobFacts {
  /** The work order: amount and what it covered. */
  order: { id: number; orderNo: string; amountFen: number; priority: string; flowCode: string; productCategories: string[] };
  /** Completion facts. `completedOn` is the Asia/Shanghai calendar date (YYYY-MM-DD). */
  workOrder: { completedAt: string; completedOn: string; breaches: number; nodeCount: number };
  /** Node form values, by node key then field key (e.g. form.install.high_altitude = true). */
  form: Record<string, Record<string, unknown>>;
  customer: { id: number | null; tags: string[]; stage: string | null };
  store: { id: number; code: string | null };
  region: { id: number | null; code: string | null; tier: string | null };
  /** Source channel of the order, e.g. douyin, pinduoduo, taobao, jd, store, console, api. */
  source: string;
  /** Customer rating 1–5 from the order's forms (a field keyed `rating`), or null. */
  rating: number | null;
  /** Service items with quantities: the rate card's input. */
  serviceItems: Array<{ code: string; name: string; quantity: number }>;
  complaints: number;
  lateMinutes: number;
  /** Old appliances taken back (recycling subsidy). */
  recycledUnits: number;
  /** Labour hours on site (decimal string, e.g. "1.5"), for per-hour components. */
  hours: string;
  /** Who the job's lines go to. */
  payees: { technicianUserId: number | null; storeId: number; regionId: number | null };
}

/** A rule's amount: any mix of a fixed part, a per-unit part and a per-hour part (all fen). */
export const ruleAmount = z
  .object({
    fixedFen: z.number().int().min(0).max(1e10).optional(),
    perUnitFen: z.number().int().min(0).max(1e10).optional(),
    /** Which fact counts the units: a service item's quantity, recycled units, or a numeric form field `form.<node>.<field>`. */
    unitFact: z.string().min(1).max(96).optional(),
    perHourFen: z.number().int().min(0).max(1e10).optional(),
    /** Percent of the order amount, in basis points (1 % = 100). */
    percentOfOrderBp: z.number().int().min(0).max(10_000).optional(),
  })
  .refine((a) => a.fixedFen !== undefined || a.perUnitFen !== undefined || a.perHourFen !== undefined || a.percentOfOrderBp !== undefined, { message: 'give at least one amount part' })
  .refine((a) => a.perUnitFen === undefined || a.unitFact !== undefined, { message: 'a per-unit amount needs unitFact', path: ['unitFact'] });
export type RuleAmount = z.infer<typeof ruleAmount>;

const conditionSchema = z.record(z.string(), z.unknown()).transform((v) => v as unknown as RuleCondition);

const ruleBase = {
  key: ruleKey,
  name: z.string().min(1).max(64),
  /** Stated on every rule: how the line amount is rounded to the fen. */
  rounding: z.literal('HALF_UP').default('HALF_UP'),
  condition: conditionSchema.optional(),
};

export const tier = z.object({
  /** Lower bound (units or fen, per `basis`). */
  from: z.number().int().min(0),
  /** Upper bound; omitted on the last, open-ended tier. */
  to: z.number().int().positive().optional(),
  /** Rebate: a percent of the amount in basis points, or fen per unit (for a volume basis). */
  rateBp: z.number().int().min(0).max(10_000).optional(),
  perUnitFen: z.number().int().min(0).max(1e10).optional(),
});

export const settlementRule = z.discriminatedUnion('kind', [
  /** Base fee from a rate card: service item code × optional region tier → fen per unit of that item. */
  z.object({ ...ruleBase, kind: z.literal('base_fee'), rateCard: z.array(z.object({ serviceItem: z.string().min(1).max(64), regionTier: z.string().min(1).max(32).optional(), amountFen: z.number().int().min(0).max(1e10) })).min(1).max(1000) }),
  z.object({ ...ruleBase, kind: z.literal('surcharge'), amount: ruleAmount }),
  z.object({ ...ruleBase, kind: z.literal('bonus'), amount: ruleAmount }),
  /** Produces a negative line. */
  z.object({ ...ruleBase, kind: z.literal('deduction'), amount: ruleAmount }),
  z.object({ ...ruleBase, kind: z.literal('subsidy'), amount: ruleAmount }),
  /**
   * Computed when the period closes, over the payee's jobs in the period. `graduated`: each slice of
   * the total earns its own tier's rate; `volume`: the whole total earns the rate of the tier it
   * falls in. `inclusive` says which bound of a tier includes the boundary value.
   */
  z.object({
    ...ruleBase,
    kind: z.literal('tiered_rebate'),
    basis: z.enum(['volume', 'amount']),
    mode: z.enum(['graduated', 'volume']),
    inclusive: z.enum(['lower', 'upper']).default('lower'),
    tiers: z.array(tier).min(1).max(20),
  }),
  /** Splits the order amount among payee kinds by source channel, largest-remainder so parts sum to the whole. */
  z.object({
    ...ruleBase,
    kind: z.literal('split'),
    channels: z.record(z.string().min(1).max(32), z.array(z.object({ payee: z.enum(payeeKinds), weight: z.number().int().positive().max(1_000_000) })).min(1).max(10)),
    /** Used for a source not listed in `channels`. */
    defaultShares: z.array(z.object({ payee: z.enum(payeeKinds), weight: z.number().int().positive().max(1_000_000) })).min(1).max(10),
  }),
]);
export type SettlementRule = z.infer<typeof settlementRule>;
export type SettlementRuleKind = SettlementRule['kind'];

/** The document a rule-set draft and each published version store. */
export const ruleSetDefinition = z.object({ rules: z.array(settlementRule).max(200) });
export type RuleSetDefinition = z.infer<typeof ruleSetDefinition>;

export const lineTypes = ['job', 'rebate', 'adjustment', 'reversal'] as const;
export type LineType = (typeof lineTypes)[number];

/** One priced line before it is stored: self-explaining (rule, facts used, formula). */
export interface LineDraft {
  payeeKind: PayeeKind;
  ruleKey: string;
  ruleKind: SettlementRuleKind;
  /** Signed fen. */
  amountFen: number;
  /** Human-readable, e.g. "空调安装 300.00 × 1 = 300.00". */
  formula: string;
  /** Only the facts this rule read, with their values. */
  factsUsed: Record<string, unknown>;
  rounding: 'HALF_UP';
}
