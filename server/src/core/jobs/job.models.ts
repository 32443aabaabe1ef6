import { DataTypes, type Sequelize } from 'sequelize';
import { defineTable, id, type Timestamps } from '../db/define-table';

export const jobStatuses = ['pending', 'running', 'done', 'dead'] as const;
export type JobStatus = (typeof jobStatuses)[number];

export interface JobRow extends Timestamps {
  id: number;
  type: string;
  payload: string;
  status: JobStatus;
  attempts: number;
  max_attempts: number;
  run_at: Date;
  locked_by: string | null;
  locked_until: Date | null;
  last_error: string | null;
  dedupe_key: string | null;
}

export interface CronRunRow {
  id: number;
  job: string;
  tick_at: Date;
  instance_id: string;
  status: 'running' | 'done' | 'failed';
  started_at: Date;
  finished_at: Date | null;
  error: string | null;
}

export function defineJobModels(sequelize: Sequelize) {
  return {
    Job: defineTable<JobRow, 'id' | 'created_at' | 'updated_at' | 'attempts' | 'locked_by' | 'locked_until' | 'last_error' | 'dedupe_key'>(sequelize, 'jobs', {
      id,
      type: DataTypes.STRING(64),
      payload: DataTypes.TEXT,
      status: DataTypes.STRING(16),
      attempts: { type: DataTypes.INTEGER, defaultValue: 0 },
      max_attempts: DataTypes.INTEGER,
      run_at: DataTypes.DATE(3),
      locked_by: DataTypes.STRING(64),
      locked_until: DataTypes.DATE(3),
      last_error: DataTypes.TEXT,
      dedupe_key: DataTypes.STRING(191),
    }),
    CronRun: defineTable<CronRunRow, 'id' | 'finished_at' | 'error'>(
      sequelize,
      'cron_runs',
      {
        id,
        job: DataTypes.STRING(64),
        tick_at: DataTypes.DATE(3),
        instance_id: DataTypes.STRING(64),
        status: DataTypes.STRING(16),
        started_at: DataTypes.DATE(3),
        finished_at: DataTypes.DATE(3),
        error: DataTypes.TEXT,
      },
      { timestamps: false },
    ),
  };
}

export type JobModels = ReturnType<typeof defineJobModels>;
