/** Settlement: payees, rule sets (drafts, versions, preview), periods, statements, lines, reports, own earnings. */
import type {
  JobFactName,
  LineType,
  PayeeKind,
  RuleAmount,
  RuleCondition,
  RuleSetDefinition,
  SettlementRule,
  SettlementRuleKind,
} from '../../../server/src/modules/settlement/settlement-rules';
import { download, http, type RequestOptions } from './request';
import { cleanParams, type LocalizedText, type PageQuery } from './types';

export type { JobFactName, LineType, PayeeKind, RuleAmount, RuleCondition, RuleSetDefinition, SettlementRule, SettlementRuleKind };

export const payeeKinds = ['technician', 'dealer', 'store', 'company'] as const satisfies readonly PayeeKind[];
export const ruleKinds = ['base_fee', 'surcharge', 'bonus', 'deduction', 'subsidy', 'tiered_rebate', 'split'] as const satisfies readonly SettlementRuleKind[];
export const reportGroups = ['technician', 'region', 'product_line', 'source'] as const;
export type ReportGroup = (typeof reportGroups)[number];

const BASE = '/api/settlement';

export type FactType = 'number' | 'string' | 'boolean' | 'string[]' | 'object';
export interface FactPath {
  path: string;
  label: LocalizedText | string;
  type: FactType;
}
export interface FactInfo {
  name: JobFactName;
  label: LocalizedText;
  type: FactType;
  paths?: FactPath[];
}

export interface Payee {
  id: number;
  kind: PayeeKind;
  name: string;
  userId: number | null;
  storeId: number | null;
  regionId: number | null;
  allowNegativeCarry: boolean;
  status: 'active' | 'inactive';
}
export interface List<T> {
  items: T[];
  total: number;
}

export interface RuleSetSummary {
  id: number;
  code: string;
  name: string;
  payeeKind: PayeeKind;
  draftVersion: number;
  latestVersion: number | null;
  latestEffectiveFrom: string | null;
}
export interface RuleSetVersionInfo {
  id: number;
  version: number;
  effectiveFrom: string;
  publishedAt: string;
  publishedBy: string | null;
}
export interface RuleSet {
  id: number;
  code: string;
  name: string;
  payeeKind: PayeeKind;
  draft: RuleSetDefinition;
  draftVersion: number;
  versions: RuleSetVersionInfo[];
}
export interface RuleSetVersion {
  id: number;
  version: number;
  effectiveFrom: string;
  definition: RuleSetDefinition;
}
export interface PreviewPayee {
  payeeId: number;
  payeeName: string;
  payeeKind: PayeeKind;
  publishedFen: number;
  draftFen: number;
  diffFen: number;
}
export interface Preview {
  periodId: number;
  payees: PreviewPayee[];
  totals: { publishedFen: number; draftFen: number; diffFen: number };
  jobs: number;
}

export type PeriodStatus = 'open' | 'closing' | 'closed';
export interface Period {
  id: number;
  code: string;
  startsOn: string;
  endsOn: string;
  status: PeriodStatus;
  linesHash: string | null;
  closedAt: string | null;
  jobCount: number;
  totalFen: number;
}

export interface Statement {
  id: number | null;
  periodId: number;
  periodCode: string;
  payeeId: number;
  payeeName: string;
  payeeKind: PayeeKind;
  openingBalanceFen: number;
  linesTotalFen: number;
  heldFen: number;
  payableFen: number;
  carriedFen: number;
  lineCount: number;
  hash: string | null;
  provisional: boolean;
}
export interface StatementQuery extends PageQuery {
  periodId?: number;
  payeeKind?: PayeeKind | '';
  keyword?: string;
}

export type DisputeStatus = 'none' | 'open' | 'resolved';
export interface Line {
  id: number;
  periodId: number;
  payeeId: number;
  payeeName: string;
  workOrderId: number | null;
  orderNo: string | null;
  ruleKey: string;
  ruleName: string;
  ruleKind: SettlementRuleKind;
  ruleSetCode: string;
  ruleSetVersion: number;
  lineType: LineType;
  state: 'provisional' | 'final';
  amountFen: number;
  formula: string;
  factsUsed: Record<string, unknown>;
  rounding: string;
  correctsLineId: number | null;
  completedOn: string | null;
  disputeStatus: DisputeStatus;
  disputeComment: string | null;
  disputeResolution: string | null;
  createdAt: string;
}
export interface LineQuery extends PageQuery {
  periodId?: number;
  payeeId?: number;
  workOrderId?: number;
  disputed?: boolean;
}

export interface ReportRow {
  key: string;
  label: string;
  jobs: number;
  amountFen: number;
}
export interface Report {
  groupBy: ReportGroup;
  rows: ReportRow[];
  totalFen: number;
}

/** One job's lines; `workOrderId` 0 gathers lines of no job (rebates). */
export interface JobEarnings {
  workOrderId: number;
  orderNo: string | null;
  title: string | null;
  completedAt: string | null;
  totalFen: number;
  state: 'provisional' | 'final';
  lines: Array<{ ruleName: string; formula: string; amountFen: number; lineType: LineType }>;
}
export interface MyEarnings {
  period: Period;
  runningTotalFen: number;
  jobs: JobEarnings[];
}

export const listFacts = () => http.get<FactInfo[]>(`${BASE}/facts`);

export const listPayees = (query: PageQuery & { kind?: PayeeKind | ''; keyword?: string }) => http.get<List<Payee>>(`${BASE}/payees`, cleanParams(query));
export const createPayee = (body: { kind: PayeeKind; name: string; userId?: number; storeId?: number; regionId?: number; allowNegativeCarry?: boolean }) => http.post<Payee>(`${BASE}/payees`, body);
export const updatePayee = (id: number, body: { name?: string; allowNegativeCarry?: boolean; status?: Payee['status'] }) => http.patch<Payee>(`${BASE}/payees/${id}`, body);

export const listRuleSets = () => http.get<RuleSetSummary[]>(`${BASE}/rule-sets`);
export const createRuleSet = (body: { code: string; name: string; payeeKind: PayeeKind }) => http.post<RuleSet>(`${BASE}/rule-sets`, body);
export const getRuleSet = (id: number) => http.get<RuleSet>(`${BASE}/rule-sets/${id}`);
export const getRuleSetVersion = (id: number, versionId: number) => http.get<RuleSetVersion>(`${BASE}/rule-sets/${id}/versions/${versionId}`);
/** Silent: the editor shows a stale draft (409) and invalid rules (422) itself. */
export const saveRuleSetDraft = (id: number, body: { definition: RuleSetDefinition; draftVersion: number }) => http.put<RuleSet>(`${BASE}/rule-sets/${id}/draft`, body, { silent: true });
export const publishRuleSet = (id: number, effectiveFrom: string) => http.post<RuleSet>(`${BASE}/rule-sets/${id}/publish`, { effectiveFrom });
export const previewRuleSet = (id: number, periodId: number) => http.post<Preview>(`${BASE}/rule-sets/${id}/preview`, { periodId });

export const listPeriods = () => http.get<Period[]>(`${BASE}/periods`);
export const getPeriod = (id: number, opts?: RequestOptions) => http.get<Period>(`${BASE}/periods/${id}`, undefined, opts);
export const closePeriod = (id: number) => http.post<{ jobId: number | string }>(`${BASE}/periods/${id}/close`);
export const exportPeriod = (period: Period) => download(`${BASE}/periods/${period.id}/export`, undefined, `settlement-${period.code}.xlsx`);

export const listStatements = (query: StatementQuery) => http.get<List<Statement>>(`${BASE}/statements`, cleanParams(query));
export const getStatement = (id: number) => http.get<Statement>(`${BASE}/statements/${id}`);
export const exportStatement = (statement: Statement & { id: number }) =>
  download(`${BASE}/statements/${statement.id}/export`, undefined, `statement-${statement.periodCode}-${statement.payeeName}.xlsx`);

export const listLines = (query: LineQuery, opts?: RequestOptions) => http.get<List<Line>>(`${BASE}/lines`, cleanParams(query), opts);
export const disputeLine = (id: number, comment: string) => http.post<Line>(`${BASE}/lines/${id}/dispute`, { comment });
export const resolveLine = (id: number, body: { resolution: string; adjustmentFen?: number }) => http.post<Line>(`${BASE}/lines/${id}/resolve`, body);

export const refundWorkOrder = (workOrderId: number, reason: string) => http.post<{ lines: Line[] }>(`${BASE}/work-orders/${workOrderId}/refund`, { reason });
export const repriceWorkOrder = (workOrderId: number, reason: string) => http.post<{ lines: Line[] }>(`${BASE}/work-orders/${workOrderId}/reprice`, { reason });

export const settlementReport = (periodId: number, groupBy: ReportGroup) => http.get<Report>(`${BASE}/reports`, { periodId, groupBy });

export const myEarnings = (periodId?: number, opts?: RequestOptions) => http.get<MyEarnings>(`${BASE}/me/earnings`, periodId ? { periodId } : undefined, opts);
export const myStatements = () => http.get<Statement[]>(`${BASE}/me/statements`);
