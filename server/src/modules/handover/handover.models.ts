import { DataTypes, type Sequelize } from 'sequelize';
import { defineTable, id, type Timestamps } from '../../core/db/define-table';

export type HandoverKind = 'resigned' | 'in_service';
export type HandoverStatus = 'running' | 'done';
export type HandoverItemType = 'customer' | 'group';
/** queued → submitting → waiting → done | failed; a group chat goes straight from submitting to done or failed. */
export type HandoverItemStatus = 'queued' | 'submitting' | 'waiting' | 'done' | 'failed';

export interface HandoverRow extends Timestamps {
  id: number;
  kind: HandoverKind;
  handover_userid: string;
  takeover_userid: string;
  handover_user_id: number | null;
  takeover_user_id: number | null;
  handover_store_id: number | null;
  takeover_store_id: number | null;
  transfer_message: string | null;
  status: HandoverStatus;
  created_by: number | null;
  finished_at: Date | null;
}

export interface HandoverItemRow extends Timestamps {
  id: number;
  handover_id: number;
  item_type: HandoverItemType;
  /** external_userid of a customer, chat_id of a group chat. */
  target_id: string;
  customer_id: number | null;
  group_chat_id: number | null;
  status: HandoverItemStatus;
  errcode: number | null;
  fail_reason: string | null;
  fail_detail: string | null;
  /** WeCom's last transfer_result status: 1 taken over, 2 waiting, 3 refused, 4 takeover at limit, 5 no record. */
  wecom_status: number | null;
  claim: string | null;
  attempts: number;
  submitted_at: Date | null;
  settled_at: Date | null;
}

/** A handover is scoped by the stores of both employees: an actor must reach both. */
export const handoverScope = { store: 'handover_store_id' } as const;

export function defineHandoverModels(sequelize: Sequelize) {
  return {
    Handover: defineTable<HandoverRow, 'id' | 'created_at' | 'updated_at' | 'handover_user_id' | 'takeover_user_id' | 'handover_store_id' | 'takeover_store_id' | 'transfer_message' | 'created_by' | 'finished_at'>(
      sequelize,
      'handovers',
      {
        id,
        kind: DataTypes.STRING(16),
        handover_userid: DataTypes.STRING(64),
        takeover_userid: DataTypes.STRING(64),
        handover_user_id: DataTypes.BIGINT,
        takeover_user_id: DataTypes.BIGINT,
        handover_store_id: DataTypes.BIGINT,
        takeover_store_id: DataTypes.BIGINT,
        transfer_message: DataTypes.STRING(200),
        status: DataTypes.STRING(16),
        created_by: DataTypes.BIGINT,
        finished_at: DataTypes.DATE(3),
      },
    ),
    HandoverItem: defineTable<
      HandoverItemRow,
      'id' | 'created_at' | 'updated_at' | 'customer_id' | 'group_chat_id' | 'errcode' | 'fail_reason' | 'fail_detail' | 'wecom_status' | 'claim' | 'attempts' | 'submitted_at' | 'settled_at'
    >(sequelize, 'handover_items', {
      id,
      handover_id: DataTypes.BIGINT,
      item_type: DataTypes.STRING(16),
      target_id: DataTypes.STRING(64),
      customer_id: DataTypes.BIGINT,
      group_chat_id: DataTypes.BIGINT,
      status: DataTypes.STRING(16),
      errcode: DataTypes.INTEGER,
      fail_reason: DataTypes.STRING(48),
      fail_detail: DataTypes.STRING(255),
      wecom_status: DataTypes.INTEGER,
      claim: DataTypes.STRING(32),
      attempts: DataTypes.INTEGER,
      submitted_at: DataTypes.DATE(3),
      settled_at: DataTypes.DATE(3),
    }),
  };
}
