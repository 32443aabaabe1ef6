import { DataTypes, type Sequelize } from 'sequelize';
import { defineTable, id, type Timestamps } from '../../core/db/define-table';
import { defineArchiveComplianceModels } from './archive-compliance.models';

export type ArchiveMessageStatus = 'stored' | 'parked';

export interface ArchiveMessageRow {
  id: number;
  msgid: string;
  seq: number;
  status: ArchiveMessageStatus;
  msgtype: string | null;
  action: string | null;
  from_id: string | null;
  /** JSON array. */
  to_ids: string | null;
  room_id: string | null;
  external_userid: string | null;
  customer_id: number | null;
  employee_userid: string | null;
  store_id: number | null;
  msg_time: Date | null;
  text: string | null;
  /** The decrypted message JSON. */
  payload: string | null;
  publickey_ver: number;
  encrypt_random_key: string | null;
  encrypt_chat_msg: string | null;
  revoked_at: Date | null;
  created_at: Date;
}

export interface ArchiveCursorRow extends Timestamps {
  id: number;
  corp_id: string;
  last_seq: number;
  messages_stored: number;
  last_batch_at: Date | null;
  last_batch_messages: number;
  last_batch_ms: number;
  last_msg_time: Date | null;
  last_error: string | null;
  last_error_at: Date | null;
  notified_at: Date | null;
}

export interface ArchiveKeyRow extends Timestamps {
  id: number;
  version: number;
  private_key_enc: string;
  fingerprint: string;
}

export interface ArchiveConsentRow extends Timestamps {
  id: number;
  external_userid: string;
  status: 'agreed' | 'disagreed';
  changed_at: Date;
  msgid: string;
}

export type ArchiveMediaStatus = 'pending' | 'lazy' | 'stored' | 'failed' | 'too_large';

export interface ArchiveMediaRow extends Timestamps {
  id: number;
  msgid: string;
  sdkfileid: string;
  msgtype: string;
  md5: string | null;
  size: number | null;
  status: ArchiveMediaStatus;
  storage_key: string | null;
  attempts: number;
  error: string | null;
}

/** Messages are scoped by the store of their customer or group chat. */
export const archiveMessageScope = { store: 'store_id' } as const;

export function defineChatArchiveModels(sequelize: Sequelize) {
  return {
    ...defineArchiveComplianceModels(sequelize),
    ArchiveMessage: defineTable<ArchiveMessageRow, 'id' | 'created_at'>(
      sequelize,
      'archive_messages',
      {
        id,
        msgid: DataTypes.STRING(128),
        seq: DataTypes.BIGINT,
        status: DataTypes.STRING(16),
        msgtype: DataTypes.STRING(32),
        action: DataTypes.STRING(16),
        from_id: DataTypes.STRING(64),
        to_ids: DataTypes.TEXT,
        room_id: DataTypes.STRING(64),
        external_userid: DataTypes.STRING(64),
        customer_id: DataTypes.BIGINT,
        employee_userid: DataTypes.STRING(64),
        store_id: DataTypes.BIGINT,
        msg_time: DataTypes.DATE(3),
        text: DataTypes.TEXT,
        payload: DataTypes.TEXT,
        publickey_ver: DataTypes.INTEGER,
        encrypt_random_key: DataTypes.TEXT,
        encrypt_chat_msg: DataTypes.TEXT,
        revoked_at: DataTypes.DATE(3),
        created_at: DataTypes.DATE(3),
      },
      { timestamps: false },
    ),
    ArchiveCursor: defineTable<ArchiveCursorRow, 'id' | 'created_at' | 'updated_at' | 'messages_stored' | 'last_batch_at' | 'last_batch_messages' | 'last_batch_ms' | 'last_msg_time' | 'last_error' | 'last_error_at' | 'notified_at'>(sequelize, 'archive_cursors', {
      id,
      corp_id: DataTypes.STRING(64),
      last_seq: DataTypes.BIGINT,
      messages_stored: DataTypes.BIGINT,
      last_batch_at: DataTypes.DATE(3),
      last_batch_messages: DataTypes.INTEGER,
      last_batch_ms: DataTypes.INTEGER,
      last_msg_time: DataTypes.DATE(3),
      last_error: DataTypes.STRING(1000),
      last_error_at: DataTypes.DATE(3),
      notified_at: DataTypes.DATE(3),
    }),
    ArchiveKey: defineTable<ArchiveKeyRow, 'id' | 'created_at' | 'updated_at'>(sequelize, 'archive_keys', {
      id,
      version: DataTypes.INTEGER,
      private_key_enc: DataTypes.TEXT,
      fingerprint: DataTypes.STRING(64),
    }),
    ArchiveConsent: defineTable<ArchiveConsentRow, 'id' | 'created_at' | 'updated_at'>(sequelize, 'archive_consents', {
      id,
      external_userid: DataTypes.STRING(64),
      status: DataTypes.STRING(16),
      changed_at: DataTypes.DATE(3),
      msgid: DataTypes.STRING(128),
    }),
    ArchiveMedia: defineTable<ArchiveMediaRow, 'id' | 'created_at' | 'updated_at' | 'attempts' | 'error' | 'storage_key'>(sequelize, 'archive_media', {
      id,
      msgid: DataTypes.STRING(128),
      sdkfileid: DataTypes.TEXT,
      msgtype: DataTypes.STRING(32),
      md5: DataTypes.STRING(32),
      size: DataTypes.BIGINT,
      status: DataTypes.STRING(16),
      storage_key: DataTypes.STRING(255),
      attempts: DataTypes.INTEGER,
      error: DataTypes.STRING(255),
    }),
  };
}
