import { DataTypes, type Sequelize } from 'sequelize';
import { defineTable } from '../../core/db/define-table';

export interface SettingRow {
  key: string;
  /** Plain text, or ciphertext when `secret`. */
  value: string | null;
  secret: boolean;
  updated_by: number | null;
  updated_at: Date;
}

export const defineSettingModel = (sequelize: Sequelize) =>
  defineTable<SettingRow, 'updated_by'>(
    sequelize,
    'settings',
    {
      key: { type: DataTypes.STRING(64), primaryKey: true },
      value: DataTypes.TEXT,
      secret: DataTypes.BOOLEAN,
      updated_by: DataTypes.BIGINT,
      updated_at: DataTypes.DATE(3),
    },
    { timestamps: false },
  );
