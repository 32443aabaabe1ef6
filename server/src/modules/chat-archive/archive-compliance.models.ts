import { DataTypes, type Sequelize } from 'sequelize';
import { defineTable, id, type Timestamps } from '../../core/db/define-table';
import type { RuleKind } from './archive-rule-pattern';

export const ruleSeverities = ['low', 'medium', 'high'] as const;
export type RuleSeverity = (typeof ruleSeverities)[number];
export const alertStatuses = ['open', 'handled'] as const;
export type AlertStatus = (typeof alertStatuses)[number];

export interface ArchiveRuleRow extends Timestamps {
  id: number;
  name: string;
  kind: RuleKind;
  /** JSON array of words (word rules). */
  keywords: string | null;
  pattern: string | null;
  severity: RuleSeverity;
  /** JSON array of store ids; null: every store. */
  store_ids: string | null;
  enabled: boolean;
}

export interface ArchiveAlertRow extends Timestamps {
  id: number;
  message_id: number;
  msgid: string;
  rule_id: number;
  rule_name: string;
  severity: RuleSeverity;
  employee_userid: string | null;
  customer_id: number | null;
  external_userid: string | null;
  room_id: string | null;
  store_id: number | null;
  excerpt: string;
  msg_time: Date | null;
  status: AlertStatus;
  handled_by: number | null;
  handled_at: Date | null;
  note: string | null;
  notified_at: Date | null;
}

/** Alerts are scoped by the store of the message that raised them. */
export const archiveAlertScope = { store: 'store_id' } as const;

export function defineArchiveComplianceModels(sequelize: Sequelize) {
  return {
    ArchiveRule: defineTable<ArchiveRuleRow, 'id' | 'created_at' | 'updated_at' | 'enabled'>(sequelize, 'archive_rules', {
      id,
      name: DataTypes.STRING(64),
      kind: DataTypes.STRING(16),
      keywords: DataTypes.TEXT,
      pattern: DataTypes.STRING(200),
      severity: DataTypes.STRING(16),
      store_ids: DataTypes.TEXT,
      enabled: DataTypes.BOOLEAN,
    }),
    ArchiveAlert: defineTable<ArchiveAlertRow, 'id' | 'created_at' | 'updated_at' | 'status' | 'handled_by' | 'handled_at' | 'note' | 'notified_at'>(sequelize, 'archive_alerts', {
      id,
      message_id: DataTypes.BIGINT,
      msgid: DataTypes.STRING(128),
      rule_id: DataTypes.BIGINT,
      rule_name: DataTypes.STRING(64),
      severity: DataTypes.STRING(16),
      employee_userid: DataTypes.STRING(64),
      customer_id: DataTypes.BIGINT,
      external_userid: DataTypes.STRING(64),
      room_id: DataTypes.STRING(64),
      store_id: DataTypes.BIGINT,
      excerpt: DataTypes.STRING(255),
      msg_time: DataTypes.DATE(3),
      status: { type: DataTypes.STRING(16), defaultValue: 'open' },
      handled_by: DataTypes.BIGINT,
      handled_at: DataTypes.DATE(3),
      note: DataTypes.STRING(500),
      notified_at: DataTypes.DATE(3),
    }),
  };
}
