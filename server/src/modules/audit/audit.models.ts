import { DataTypes, type Sequelize } from 'sequelize';
import { defineTable, id } from '../../core/db/define-table';

export interface AuditLogRow {
  id: number;
  /** Null until the sealer links the row into the hash chain (with prev_hash and hash). */
  seq: number | null;
  at: Date;
  actor_id: number | null;
  actor_name: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  store_id: number | null;
  /** Canonical JSON of `{ before, after }`, exactly as hashed. */
  diff: string | null;
  request_id: string | null;
  ip: string | null;
  prev_hash: string | null;
  hash: string | null;
}

export interface AuditChainRow {
  id: number;
  last_seq: number;
  last_hash: string;
  updated_at: Date;
}

export function defineAuditModels(sequelize: Sequelize) {
  return {
    AuditLog: defineTable<AuditLogRow, 'id'>(
      sequelize,
      'audit_logs',
      {
        id,
        seq: DataTypes.BIGINT,
        at: DataTypes.DATE(3),
        actor_id: DataTypes.BIGINT,
        actor_name: DataTypes.STRING(128),
        action: DataTypes.STRING(64),
        target_type: DataTypes.STRING(64),
        target_id: DataTypes.STRING(64),
        store_id: DataTypes.BIGINT,
        diff: DataTypes.TEXT,
        request_id: DataTypes.STRING(64),
        ip: DataTypes.STRING(64),
        prev_hash: DataTypes.STRING(64),
        hash: DataTypes.STRING(64),
      },
      { timestamps: false },
    ),
    AuditChain: defineTable<AuditChainRow>(
      sequelize,
      'audit_chain',
      { id: { type: DataTypes.INTEGER, primaryKey: true }, last_seq: DataTypes.BIGINT, last_hash: DataTypes.STRING(64), updated_at: DataTypes.DATE(3) },
      { timestamps: false },
    ),
  };
}

export type AuditModels = ReturnType<typeof defineAuditModels>;
