import { DataTypes, type Sequelize } from 'sequelize';
import { defineTable, id, type Timestamps } from '../../core/db/define-table';

export type TagBulkJobStatus = 'pending' | 'running' | 'done' | 'failed';

/** A request to mark or unmark tags on many customers, and how far its job got. */
export interface TagBulkJobRow extends Timestamps {
  id: number;
  actor_user_id: number | null;
  actor_name: string;
  status: TagBulkJobStatus;
  /** JSON number arrays. */
  add_tag_ids: string;
  remove_tag_ids: string;
  customer_ids: string;
  total: number;
  /** Customers worked through so far (index into customer_ids). */
  position: number;
  succeeded: number;
  failed: number;
  /** JSON array of { customerId, message }. */
  failures: string | null;
  finished_at: Date | null;
}

export const defineTagBulkJobModel = (sequelize: Sequelize) =>
  defineTable<TagBulkJobRow, 'id' | 'created_at' | 'updated_at' | 'position' | 'succeeded' | 'failed' | 'failures' | 'finished_at'>(sequelize, 'tag_bulk_jobs', {
    id,
    actor_user_id: DataTypes.BIGINT,
    actor_name: DataTypes.STRING(64),
    status: DataTypes.STRING(16),
    add_tag_ids: DataTypes.TEXT,
    remove_tag_ids: DataTypes.TEXT,
    customer_ids: DataTypes.TEXT,
    total: DataTypes.INTEGER,
    position: DataTypes.INTEGER,
    succeeded: DataTypes.INTEGER,
    failed: DataTypes.INTEGER,
    failures: DataTypes.TEXT,
    finished_at: DataTypes.DATE(3),
  });
