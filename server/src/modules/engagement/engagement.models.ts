import { DataTypes, type Sequelize } from 'sequelize';
import { defineTable, id, type Timestamps } from '../../core/db/define-table';

export interface ContactWayRow extends Timestamps {
  id: number;
  name: string;
  state: string;
  config_id: string | null;
  qr_code: string | null;
  skip_verify: boolean;
  /** JSON string arrays / `ScheduleSlot[]`, see contact-way.schemas. */
  users: string;
  backup_users: string;
  schedule: string;
  current_users: string;
  tag_ids: string;
  store_id: number | null;
  /** JSON `WelcomeMessage` or null. */
  welcome: string | null;
  deleted_at: Date | null;
}

export interface ChannelAddRow {
  id: number;
  contact_way_id: number;
  external_userid: string;
  wecom_userid: string;
  customer_id: number | null;
  added_at: Date;
  applied_at: Date | null;
  lost_at: Date | null;
  created_at: Date;
}

export type WelcomeStatus = 'sending' | 'sent' | 'missed' | 'failed';

export interface WelcomeSendRow {
  id: number;
  welcome_code: string;
  contact_way_id: number | null;
  external_userid: string;
  wecom_userid: string;
  status: WelcomeStatus;
  errcode: number | null;
  error: string | null;
  event_at: Date;
  received_at: Date;
  finished_at: Date | null;
  created_at: Date;
}

export interface MediaCacheRow {
  id: number;
  content_key: string;
  media_type: string;
  media_id: string;
  expires_at: Date;
  created_at: Date;
}

export interface RuleRow extends Timestamps {
  id: number;
  name: string;
  trigger_type: string;
  /** JSON, see rule.schemas. */
  trigger_config: string;
  conditions: string;
  actions: string;
  period: string;
  enabled: boolean;
  last_run_at: Date | null;
  /** Ciphertext of the secret signing this rule's webhooks (null: no webhook action). */
  webhook_secret: string | null;
}

export interface RuleFiringRow {
  id: number;
  rule_id: number;
  customer_id: number;
  period_key: string;
  status: 'pending' | 'done' | 'skipped' | 'failed';
  run_id: string | null;
  error: string | null;
  fired_at: Date;
  /** JSON `ActionOutcome[]` (see rule-outcomes); null when every action applied in the claiming transaction. */
  outcomes: string | null;
  /** The outbox event that fired it; null for scheduled runs. */
  event_id: number | null;
}

export type FollowTaskStatus = 'open' | 'done';
export type ReminderStatus = 'pending' | 'sent' | 'skipped' | 'failed';

export interface FollowTaskRow extends Timestamps {
  id: number;
  rule_id: number | null;
  firing_id: number | null;
  customer_id: number;
  store_id: number | null;
  assignee_user_id: number | null;
  title: string;
  due_at: Date;
  status: FollowTaskStatus;
  done_at: Date | null;
  done_by_user_id: number | null;
  reminder_status: ReminderStatus;
  reminder_error: string | null;
  /** When the assignee was told the task is overdue (once). */
  overdue_reminded_at: Date | null;
}

const str = (n: number) => DataTypes.STRING(n);
const noUpdate = { timestamps: false } as const;

export function defineEngagementModels(sequelize: Sequelize) {
  return {
    ContactWay: defineTable<ContactWayRow, 'id' | 'created_at' | 'updated_at' | 'config_id' | 'qr_code' | 'store_id' | 'welcome' | 'deleted_at'>(sequelize, 'engagement_contact_ways', {
      id,
      name: str(64),
      state: str(30),
      config_id: str(64),
      qr_code: str(512),
      skip_verify: DataTypes.BOOLEAN,
      users: DataTypes.TEXT,
      backup_users: DataTypes.TEXT,
      schedule: DataTypes.TEXT,
      current_users: DataTypes.TEXT,
      tag_ids: DataTypes.TEXT,
      store_id: DataTypes.BIGINT,
      welcome: DataTypes.TEXT,
      deleted_at: DataTypes.DATE(3),
    }),
    ChannelAdd: defineTable<ChannelAddRow, 'id' | 'customer_id' | 'applied_at' | 'lost_at'>(
      sequelize,
      'engagement_channel_adds',
      {
        id,
        contact_way_id: DataTypes.BIGINT,
        external_userid: str(64),
        wecom_userid: str(64),
        customer_id: DataTypes.BIGINT,
        added_at: DataTypes.DATE(3),
        applied_at: DataTypes.DATE(3),
        lost_at: DataTypes.DATE(3),
        created_at: DataTypes.DATE(3),
      },
      noUpdate,
    ),
    WelcomeSend: defineTable<WelcomeSendRow, 'id' | 'contact_way_id' | 'errcode' | 'error' | 'finished_at'>(
      sequelize,
      'engagement_welcome_sends',
      {
        id,
        welcome_code: str(128),
        contact_way_id: DataTypes.BIGINT,
        external_userid: str(64),
        wecom_userid: str(64),
        status: str(16),
        errcode: DataTypes.INTEGER,
        error: str(512),
        event_at: DataTypes.DATE(3),
        received_at: DataTypes.DATE(3),
        finished_at: DataTypes.DATE(3),
        created_at: DataTypes.DATE(3),
      },
      noUpdate,
    ),
    EngagementMedia: defineTable<MediaCacheRow, 'id'>(
      sequelize,
      'engagement_media',
      { id, content_key: str(96), media_type: str(16), media_id: str(256), expires_at: DataTypes.DATE(3), created_at: DataTypes.DATE(3) },
      noUpdate,
    ),
    EngagementRule: defineTable<RuleRow, 'id' | 'created_at' | 'updated_at' | 'last_run_at' | 'webhook_secret'>(sequelize, 'engagement_rules', {
      id,
      name: str(64),
      trigger_type: str(32),
      trigger_config: DataTypes.TEXT,
      conditions: DataTypes.TEXT,
      actions: DataTypes.TEXT,
      period: str(8),
      enabled: DataTypes.BOOLEAN,
      last_run_at: DataTypes.DATE(3),
      webhook_secret: DataTypes.TEXT,
    }),
    EngagementRuleFiring: defineTable<RuleFiringRow, 'id' | 'run_id' | 'error' | 'outcomes' | 'event_id'>(
      sequelize,
      'engagement_rule_firings',
      { id, rule_id: DataTypes.BIGINT, customer_id: DataTypes.BIGINT, period_key: str(16), status: str(16), run_id: str(36), error: str(512), fired_at: DataTypes.DATE(3), outcomes: DataTypes.TEXT, event_id: DataTypes.BIGINT },
      noUpdate,
    ),
    FollowTask: defineTable<FollowTaskRow, 'id' | 'created_at' | 'updated_at' | 'rule_id' | 'firing_id' | 'store_id' | 'assignee_user_id' | 'done_at' | 'done_by_user_id' | 'reminder_error' | 'overdue_reminded_at'>(sequelize, 'engagement_follow_tasks', {
      id,
      rule_id: DataTypes.BIGINT,
      firing_id: DataTypes.BIGINT,
      customer_id: DataTypes.BIGINT,
      store_id: DataTypes.BIGINT,
      assignee_user_id: DataTypes.BIGINT,
      title: str(128),
      due_at: DataTypes.DATE(3),
      status: str(16),
      done_at: DataTypes.DATE(3),
      done_by_user_id: DataTypes.BIGINT,
      reminder_status: str(16),
      reminder_error: str(512),
      overdue_reminded_at: DataTypes.DATE(3),
    }),
  };
}
