import { DataTypes } from 'sequelize';
import { idColumn, instant, reference, tableOptions, timestamps, type MigrationContext } from './helpers';

export const name = '0013-customer-imports';

const count = () => ({ type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 });

/**
 * Customer imports from xlsx/csv: one row per uploaded file (kept under the data directory) with
 * its progress, checkpoint and counts, and the per-row problems found while importing it.
 */
export async function up({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.createTable(
    'customer_imports',
    {
      id: idColumn(),
      file_name: { type: DataTypes.STRING(255), allowNull: false },
      // Relative to the data directory.
      file_path: { type: DataTypes.STRING(512), allowNull: false },
      // SHA-256 of the file: an identical re-upload is recognised by it.
      file_hash: { type: DataTypes.STRING(64), allowNull: false },
      file_size: { type: DataTypes.BIGINT, allowNull: false },
      // csv | xlsx
      format: { type: DataTypes.STRING(8), allowNull: false },
      encoding: { type: DataTypes.STRING(16), allowNull: true },
      // queued | running | done | failed
      status: { type: DataTypes.STRING(16), allowNull: false },
      duplicate_of_id: { type: DataTypes.BIGINT, allowNull: true },
      // Where the import belongs, for the data scope of the import list: the importer's store and region.
      store_id: reference('stores', true, 'SET NULL'),
      region_id: reference('regions', true, 'SET NULL'),
      created_by: reference('users', true, 'SET NULL'),
      created_by_name: { type: DataTypes.STRING(64), allowNull: false },
      // JSON array of the stores the importer could write to when uploading; null means every store.
      scope_store_ids: { type: DataTypes.TEXT, allowNull: true },
      // Store for rows without a store code (the importer's own store, if any).
      default_store_id: { type: DataTypes.BIGINT, allowNull: true },
      // Owner for created customers when the importer's scope is their own customers.
      owner_user_id: { type: DataTypes.BIGINT, allowNull: true },
      total_rows: { type: DataTypes.INTEGER, allowNull: true },
      processed_rows: count(),
      created_count: count(),
      updated_count: count(),
      unchanged_count: count(),
      failed_count: count(),
      // The last file row whose effects are committed: a resumed run carries on after it.
      cursor_row: count(),
      // JSON: columns the file has that nothing reads, and similar notes.
      warnings: { type: DataTypes.TEXT, allowNull: true },
      error: { type: DataTypes.TEXT, allowNull: true },
      started_at: instant(true),
      finished_at: instant(true),
      ...timestamps(),
    },
    tableOptions,
  );
  await qi.addIndex('customer_imports', ['file_hash'], { name: 'customer_imports_file_hash' });
  await qi.addIndex('customer_imports', ['store_id', 'id'], { name: 'customer_imports_store' });
  await qi.addIndex('customer_imports', ['created_by', 'id'], { name: 'customer_imports_created_by' });

  await qi.createTable(
    'customer_import_errors',
    {
      id: idColumn(),
      import_id: reference('customer_imports', false, 'CASCADE'),
      row_no: { type: DataTypes.INTEGER, allowNull: false },
      column_name: { type: DataTypes.STRING(64), allowNull: true },
      // The offending cell (phone numbers masked), cut to 255 characters.
      value: { type: DataTypes.STRING(255), allowNull: true },
      reason: { type: DataTypes.STRING(255), allowNull: false },
    },
    tableOptions,
  );
  await qi.addIndex('customer_import_errors', ['import_id', 'row_no'], { name: 'customer_import_errors_import_row' });
}

export async function down({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.dropTable('customer_import_errors');
  await qi.dropTable('customer_imports');
}
