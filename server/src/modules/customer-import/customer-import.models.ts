import { DataTypes, type Sequelize } from 'sequelize';
import { defineTable, id, type Timestamps } from '../../core/db/define-table';

export type ImportStatus = 'queued' | 'running' | 'done' | 'failed';
export type ImportFormat = 'csv' | 'xlsx';

export interface CustomerImportRow extends Timestamps {
  id: number;
  file_name: string;
  /** Relative to the data directory. */
  file_path: string;
  file_hash: string;
  file_size: number;
  format: ImportFormat;
  encoding: string | null;
  status: ImportStatus;
  /** An earlier import of the very same file. */
  duplicate_of_id: number | null;
  store_id: number | null;
  region_id: number | null;
  created_by: number | null;
  created_by_name: string;
  /** JSON array of store ids the importer could write to; null means every store. */
  scope_store_ids: string | null;
  default_store_id: number | null;
  owner_user_id: number | null;
  total_rows: number | null;
  processed_rows: number;
  created_count: number;
  updated_count: number;
  unchanged_count: number;
  failed_count: number;
  /** Last file row whose effects are committed. */
  cursor_row: number;
  warnings: string | null;
  error: string | null;
  started_at: Date | null;
  finished_at: Date | null;
}

export interface CustomerImportErrorRow {
  id: number;
  import_id: number;
  row_no: number;
  column_name: string | null;
  value: string | null;
  reason: string;
}

/** Imports belong to the importer's store or region; `self` scope sees its own. */
export const importScope = { store: 'store_id', region: 'region_id', owner: 'created_by' } as const;

type ImportGenerated =
  | 'id'
  | 'created_at'
  | 'updated_at'
  | 'encoding'
  | 'duplicate_of_id'
  | 'store_id'
  | 'region_id'
  | 'created_by'
  | 'scope_store_ids'
  | 'default_store_id'
  | 'owner_user_id'
  | 'total_rows'
  | 'processed_rows'
  | 'created_count'
  | 'updated_count'
  | 'unchanged_count'
  | 'failed_count'
  | 'cursor_row'
  | 'warnings'
  | 'error'
  | 'started_at'
  | 'finished_at';

export function defineCustomerImportModels(sequelize: Sequelize) {
  return {
    CustomerImport: defineTable<CustomerImportRow, ImportGenerated>(sequelize, 'customer_imports', {
      id,
      file_name: DataTypes.STRING(255),
      file_path: DataTypes.STRING(512),
      file_hash: DataTypes.STRING(64),
      file_size: DataTypes.BIGINT,
      format: DataTypes.STRING(8),
      encoding: DataTypes.STRING(16),
      status: DataTypes.STRING(16),
      duplicate_of_id: DataTypes.BIGINT,
      store_id: DataTypes.BIGINT,
      region_id: DataTypes.BIGINT,
      created_by: DataTypes.BIGINT,
      created_by_name: DataTypes.STRING(64),
      scope_store_ids: DataTypes.TEXT,
      default_store_id: DataTypes.BIGINT,
      owner_user_id: DataTypes.BIGINT,
      total_rows: DataTypes.INTEGER,
      processed_rows: DataTypes.INTEGER,
      created_count: DataTypes.INTEGER,
      updated_count: DataTypes.INTEGER,
      unchanged_count: DataTypes.INTEGER,
      failed_count: DataTypes.INTEGER,
      cursor_row: DataTypes.INTEGER,
      warnings: DataTypes.TEXT,
      error: DataTypes.TEXT,
      started_at: DataTypes.DATE(3),
      finished_at: DataTypes.DATE(3),
    }),
    CustomerImportError: defineTable<CustomerImportErrorRow, 'id' | 'column_name' | 'value'>(
      sequelize,
      'customer_import_errors',
      { id, import_id: DataTypes.BIGINT, row_no: DataTypes.INTEGER, column_name: DataTypes.STRING(64), value: DataTypes.STRING(255), reason: DataTypes.STRING(255) },
      { timestamps: false },
    ),
  };
}
