import { DataTypes, type Sequelize } from 'sequelize';
import { defineTable, id, type Timestamps } from '../../core/db/define-table';
import type { LineType, PayeeKind, SettlementRuleKind } from './settlement-rules';

export type PayeeStatus = 'active' | 'inactive';
export type PeriodStatus = 'open' | 'closing' | 'closed';
/** Not stored: a line is final when its period is closed. */
export type LineState = 'provisional' | 'final';
export const lineStateOf = (periodStatus: PeriodStatus | undefined): LineState => (periodStatus === 'closed' ? 'final' : 'provisional');
export type DisputeStatus = 'none' | 'open' | 'resolved';

export interface PayeeRow extends Timestamps {
  id: number;
  kind: PayeeKind;
  name: string;
  user_id: number | null;
  store_id: number | null;
  region_id: number | null;
  allow_negative_carry: boolean;
  status: PayeeStatus;
}

export interface RuleSetRow extends Timestamps {
  id: number;
  code: string;
  name: string;
  payee_kind: PayeeKind;
  draft: string;
  draft_version: number;
}

export interface RuleSetVersionRow {
  id: number;
  rule_set_id: number;
  version: number;
  effective_from: string;
  definition: string;
  published_by: number | null;
  published_at: Date;
}

export interface PeriodRow extends Timestamps {
  id: number;
  code: string;
  starts_on: string;
  ends_on: string;
  status: PeriodStatus;
  lines_hash: string | null;
  closed_at: Date | null;
  closed_by: number | null;
}

export interface SettlementJobRow extends Timestamps {
  id: number;
  work_order_id: number;
  period_id: number;
  completed_at: Date;
  completed_on: string;
  facts: string;
  refunded_at: Date | null;
  excluded: boolean;
  lines_digest: string | null;
  line_keys: string | null;
}

export interface ComplaintRow {
  id: number;
  work_order_id: number;
  reason: string;
  created_by: number | null;
  created_at: Date;
}

export interface LineRow {
  id: number;
  period_id: number;
  payee_id: number;
  work_order_id: number | null;
  rule_set_version_id: number | null;
  rule_key: string;
  rule_kind: SettlementRuleKind | 'adjustment';
  line_type: LineType;
  amount_fen: number;
  formula: string;
  facts_used: string;
  rounding: string;
  corrects_line_id: number | null;
  completed_on: string | null;
  dispute_status: DisputeStatus;
  dispute_comment: string | null;
  dispute_resolution: string | null;
  created_at: Date;
}

export interface StatementRow {
  id: number;
  period_id: number;
  payee_id: number;
  opening_balance_fen: number;
  lines_total_fen: number;
  held_fen: number;
  payable_fen: number;
  carried_fen: number;
  shortfall_fen: number;
  line_count: number;
  hash: string;
  created_at: Date;
}

type Generated = 'id' | 'created_at' | 'updated_at';
const date = DataTypes.STRING(10);

export function defineSettlementModels(sequelize: Sequelize) {
  return {
    Payee: defineTable<PayeeRow, Generated | 'user_id' | 'store_id' | 'region_id' | 'allow_negative_carry' | 'status'>(sequelize, 'payees', {
      id,
      kind: DataTypes.STRING(16),
      name: DataTypes.STRING(100),
      user_id: DataTypes.BIGINT,
      store_id: DataTypes.BIGINT,
      region_id: DataTypes.BIGINT,
      allow_negative_carry: DataTypes.BOOLEAN,
      status: DataTypes.STRING(16),
    }),
    RuleSet: defineTable<RuleSetRow, Generated | 'draft_version'>(sequelize, 'settlement_rule_sets', {
      id,
      code: DataTypes.STRING(64),
      name: DataTypes.STRING(100),
      payee_kind: DataTypes.STRING(16),
      draft: DataTypes.TEXT,
      draft_version: DataTypes.INTEGER,
    }),
    RuleSetVersion: defineTable<RuleSetVersionRow, 'id' | 'published_by'>(
      sequelize,
      'settlement_rule_set_versions',
      { id, rule_set_id: DataTypes.BIGINT, version: DataTypes.INTEGER, effective_from: date, definition: DataTypes.TEXT, published_by: DataTypes.BIGINT, published_at: DataTypes.DATE(3) },
      { timestamps: false },
    ),
    Period: defineTable<PeriodRow, Generated | 'lines_hash' | 'closed_at' | 'closed_by'>(sequelize, 'settlement_periods', {
      id,
      code: DataTypes.STRING(7),
      starts_on: date,
      ends_on: date,
      status: DataTypes.STRING(16),
      lines_hash: DataTypes.STRING(64),
      closed_at: DataTypes.DATE(3),
      closed_by: DataTypes.BIGINT,
    }),
    SettlementJob: defineTable<SettlementJobRow, Generated | 'refunded_at' | 'excluded' | 'lines_digest' | 'line_keys'>(sequelize, 'settlement_jobs', {
      id,
      work_order_id: DataTypes.BIGINT,
      period_id: DataTypes.BIGINT,
      completed_at: DataTypes.DATE(3),
      completed_on: date,
      facts: DataTypes.TEXT,
      refunded_at: DataTypes.DATE(3),
      excluded: DataTypes.BOOLEAN,
      lines_digest: DataTypes.STRING(64),
      line_keys: DataTypes.TEXT,
    }),
    Complaint: defineTable<ComplaintRow, 'id' | 'created_by' | 'created_at'>(
      sequelize,
      'settlement_complaints',
      { id, work_order_id: DataTypes.BIGINT, reason: DataTypes.STRING(500), created_by: DataTypes.BIGINT, created_at: DataTypes.DATE(3) },
      { timestamps: false },
    ),
    Line: defineTable<LineRow, 'id' | 'work_order_id' | 'rule_set_version_id' | 'corrects_line_id' | 'completed_on' | 'dispute_status' | 'dispute_comment' | 'dispute_resolution' | 'rounding'>(
      sequelize,
      'settlement_lines',
      {
        id,
        period_id: DataTypes.BIGINT,
        payee_id: DataTypes.BIGINT,
        work_order_id: DataTypes.BIGINT,
        rule_set_version_id: DataTypes.BIGINT,
        rule_key: DataTypes.STRING(48),
        rule_kind: DataTypes.STRING(16),
        line_type: DataTypes.STRING(16),
        amount_fen: DataTypes.BIGINT,
        formula: DataTypes.STRING(500),
        facts_used: DataTypes.TEXT,
        rounding: DataTypes.STRING(16),
        corrects_line_id: DataTypes.BIGINT,
        completed_on: date,
        dispute_status: DataTypes.STRING(16),
        dispute_comment: DataTypes.STRING(500),
        dispute_resolution: DataTypes.STRING(500),
        created_at: DataTypes.DATE(3),
      },
      { timestamps: false },
    ),
    Statement: defineTable<StatementRow, 'id'>(
      sequelize,
      'settlement_statements',
      {
        id,
        period_id: DataTypes.BIGINT,
        payee_id: DataTypes.BIGINT,
        opening_balance_fen: DataTypes.BIGINT,
        lines_total_fen: DataTypes.BIGINT,
        held_fen: DataTypes.BIGINT,
        payable_fen: DataTypes.BIGINT,
        carried_fen: DataTypes.BIGINT,
        shortfall_fen: DataTypes.BIGINT,
        line_count: DataTypes.INTEGER,
        hash: DataTypes.STRING(64),
        created_at: DataTypes.DATE(3),
      },
      { timestamps: false },
    ),
  };
}

export type SettlementModels = ReturnType<typeof defineSettlementModels>;
