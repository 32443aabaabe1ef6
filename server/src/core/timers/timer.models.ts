import { DataTypes, type Sequelize } from 'sequelize';
import { defineTable, id, type Timestamps } from '../db/define-table';

export const timerStatuses = ['pending', 'paused', 'fired', 'cancelled', 'failed'] as const;
export type TimerStatus = (typeof timerStatuses)[number];

export interface TimerRow extends Timestamps {
  id: number;
  kind: string;
  subject_type: string;
  subject_id: string;
  due_at: Date;
  status: TimerStatus;
  /** JSON, or null. */
  payload: string | null;
  paused_at: Date | null;
  dedupe_key: string | null;
  fired_at: Date | null;
  fired_by: string | null;
  attempts: number;
  last_error: string | null;
}

export function defineTimerModels(sequelize: Sequelize) {
  return {
    Timer: defineTable<TimerRow, 'id' | 'created_at' | 'updated_at' | 'payload' | 'paused_at' | 'dedupe_key' | 'fired_at' | 'fired_by' | 'attempts' | 'last_error'>(sequelize, 'timers', {
      id,
      kind: DataTypes.STRING(64),
      subject_type: DataTypes.STRING(64),
      subject_id: DataTypes.STRING(64),
      due_at: DataTypes.DATE(3),
      status: DataTypes.STRING(16),
      payload: DataTypes.TEXT,
      paused_at: DataTypes.DATE(3),
      dedupe_key: DataTypes.STRING(191),
      fired_at: DataTypes.DATE(3),
      fired_by: DataTypes.STRING(64),
      attempts: { type: DataTypes.INTEGER, defaultValue: 0 },
      last_error: DataTypes.TEXT,
    }),
  };
}
