import { DataTypes, type Sequelize } from 'sequelize';
import { defineTable, id, type Timestamps } from '../../core/db/define-table';

export type LossReason = 'deleted_by_customer' | 'deleted_by_employee';
export type LossAlertStatus = 'pending' | 'sent' | 'failed' | 'skipped';

/** The WeCom app message about one lost follow relation, sent once. */
export interface LossAlertRow extends Timestamps {
  id: number;
  follow_id: number;
  customer_id: number;
  store_id: number | null;
  wecom_userid: string;
  reason: LossReason;
  lost_at: Date;
  status: LossAlertStatus;
  /** JSON array of recipients' WeCom userids. */
  recipients: string | null;
  error: string | null;
  sent_at: Date | null;
  dedupe_key: string;
}

export const defineLossAlertModel = (sequelize: Sequelize) =>
  defineTable<LossAlertRow, 'id' | 'created_at' | 'updated_at' | 'store_id' | 'recipients' | 'error' | 'sent_at'>(sequelize, 'customer_loss_alerts', {
    id,
    follow_id: DataTypes.BIGINT,
    customer_id: DataTypes.BIGINT,
    store_id: DataTypes.BIGINT,
    wecom_userid: DataTypes.STRING(64),
    reason: DataTypes.STRING(32),
    lost_at: DataTypes.DATE(3),
    status: DataTypes.STRING(16),
    recipients: DataTypes.TEXT,
    error: DataTypes.TEXT,
    sent_at: DataTypes.DATE(3),
    dedupe_key: DataTypes.STRING(191),
  });
