import { DataTypes, type Sequelize } from 'sequelize';
import { defineTable } from '../../core/db/define-table';

export interface SessionRow {
  id: string;
  user_id: number;
  token_hash: string;
  ip: string | null;
  user_agent: string | null;
  created_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
}

export const defineSessionModel = (sequelize: Sequelize) =>
  defineTable<SessionRow, 'revoked_at'>(
    sequelize,
    'sessions',
    {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      user_id: DataTypes.BIGINT,
      token_hash: DataTypes.STRING(64),
      ip: DataTypes.STRING(64),
      user_agent: DataTypes.STRING(255),
      created_at: DataTypes.DATE(3),
      expires_at: DataTypes.DATE(3),
      revoked_at: DataTypes.DATE(3),
    },
    { timestamps: false },
  );
