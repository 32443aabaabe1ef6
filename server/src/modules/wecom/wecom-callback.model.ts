import { DataTypes, type Sequelize } from 'sequelize';
import { defineTable, id } from '../../core/db/define-table';

export interface WecomCallbackRow {
  id: number;
  idempotency_key: string;
  corp_id: string;
  kind: string;
  event: string | null;
  change_type: string | null;
  /** JSON of the event's non-personal fields (ids, types), for lists and filters. */
  summary: string;
  /** The whole decrypted event, encrypted at rest (it can carry names and mobiles). */
  payload_enc: string;
  event_time: Date | null;
  received_at: Date;
  deliveries: number;
  job_id: number | null;
  processed_at: Date | null;
}

export const defineWecomCallbackModel = (sequelize: Sequelize) =>
  defineTable<WecomCallbackRow, 'id' | 'deliveries' | 'job_id' | 'processed_at' | 'event_time'>(
    sequelize,
    'wecom_callbacks',
    {
      id,
      idempotency_key: DataTypes.STRING(191),
      corp_id: DataTypes.STRING(64),
      kind: DataTypes.STRING(32),
      event: DataTypes.STRING(64),
      change_type: DataTypes.STRING(64),
      summary: DataTypes.TEXT,
      payload_enc: DataTypes.TEXT,
      event_time: DataTypes.DATE(3),
      received_at: DataTypes.DATE(3),
      deliveries: DataTypes.INTEGER,
      job_id: DataTypes.BIGINT,
      processed_at: DataTypes.DATE(3),
    },
    { timestamps: false },
  );
