import { DataTypes, type Sequelize } from 'sequelize';
import { defineTable, id, type Timestamps } from '../../../core/db/define-table';

export type MassMessageStatus = 'draft' | 'sending' | 'sent' | 'failed' | 'cancelled';

export interface MassMessageRow extends Timestamps {
  id: number;
  name: string;
  status: MassMessageStatus;
  /** JSON `Audience`, see mass-message.schemas. */
  audience: string;
  /** JSON `WelcomeMessage` (text and attachments). */
  content: string;
  /** JSON `AudienceScope`: the creator's data scope, applied when the audience is resolved. */
  scope: string;
  store_id: number | null;
  region_id: number | null;
  created_by: number | null;
  scheduled_at: Date | null;
  sent_at: Date | null;
  poll_until: Date | null;
  finished_at: Date | null;
  error: string | null;
}

/** pending: not created in WeCom yet; waiting: 未发送 (the employee has not confirmed); sent: 已发送. */
export type MassTaskStatus = 'pending' | 'waiting' | 'sent' | 'failed' | 'expired';

export interface MassTaskRow extends Timestamps {
  id: number;
  mass_message_id: number;
  sender_userid: string;
  chunk: number;
  msgid: string | null;
  status: MassTaskStatus;
  customer_count: number;
  error: string | null;
  called_at: Date | null;
  finished_at: Date | null;
}

/** not_sent / sent / not_friend / received_other mirror get_groupmsg_send_result's status 0 / 1 / 2 / 3. */
export type RecipientStatus = 'pending' | 'skipped' | 'failed' | 'not_sent' | 'sent' | 'not_friend' | 'received_other';
export type RecipientReason = 'no_owner' | 'lost' | 'monthly_limit' | 'out_of_scope' | 'wecom_refused' | 'call_failed';

export interface RecipientRow extends Timestamps {
  id: number;
  mass_message_id: number;
  customer_id: number;
  task_id: number | null;
  sender_userid: string | null;
  external_userid: string | null;
  status: RecipientStatus;
  reason: RecipientReason | null;
  error: string | null;
  queued_at: Date | null;
  sent_at: Date | null;
}

const str = (n: number) => DataTypes.STRING(n);

export function defineMassMessageModels(sequelize: Sequelize) {
  return {
    MassMessage: defineTable<MassMessageRow, 'id' | 'created_at' | 'updated_at' | 'store_id' | 'region_id' | 'created_by' | 'scheduled_at' | 'sent_at' | 'poll_until' | 'finished_at' | 'error'>(sequelize, 'engagement_mass_messages', {
      id,
      name: str(64),
      status: str(16),
      audience: DataTypes.TEXT,
      content: DataTypes.TEXT,
      scope: DataTypes.TEXT,
      store_id: DataTypes.BIGINT,
      region_id: DataTypes.BIGINT,
      created_by: DataTypes.BIGINT,
      scheduled_at: DataTypes.DATE(3),
      sent_at: DataTypes.DATE(3),
      poll_until: DataTypes.DATE(3),
      finished_at: DataTypes.DATE(3),
      error: str(512),
    }),
    MassMessageTask: defineTable<MassTaskRow, 'id' | 'created_at' | 'updated_at' | 'msgid' | 'error' | 'called_at' | 'finished_at'>(sequelize, 'engagement_mass_message_tasks', {
      id,
      mass_message_id: DataTypes.BIGINT,
      sender_userid: str(64),
      chunk: DataTypes.INTEGER,
      msgid: str(64),
      status: str(16),
      customer_count: DataTypes.INTEGER,
      error: str(512),
      called_at: DataTypes.DATE(3),
      finished_at: DataTypes.DATE(3),
    }),
    MassMessageRecipient: defineTable<RecipientRow, 'id' | 'created_at' | 'updated_at' | 'task_id' | 'sender_userid' | 'external_userid' | 'reason' | 'error' | 'queued_at' | 'sent_at'>(sequelize, 'engagement_mass_message_recipients', {
      id,
      mass_message_id: DataTypes.BIGINT,
      customer_id: DataTypes.BIGINT,
      task_id: DataTypes.BIGINT,
      sender_userid: str(64),
      external_userid: str(64),
      status: str(16),
      reason: str(32),
      error: str(255),
      queued_at: DataTypes.DATE(3),
      sent_at: DataTypes.DATE(3),
    }),
  };
}
