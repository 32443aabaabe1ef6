import { DataTypes } from 'sequelize';
import { idColumn, instant, longText, reference, tableOptions, timestamps, type MigrationContext } from './helpers';

export const name = '0015-workflows';

/**
 * Work-order flows: one editable draft per flow (saved optimistically against `draft_version`) and
 * immutable, numbered published versions. `last_version` only grows, so a deleted version's number
 * is never given out again.
 */
export async function up({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.createTable(
    'flows',
    {
      id: idColumn(),
      code: { type: DataTypes.STRING(64), allowNull: false },
      name: { type: DataTypes.STRING(64), allowNull: false },
      description: { type: DataTypes.STRING(500), allowNull: true },
      // The draft flow document (JSON).
      draft: { type: longText(qi), allowNull: false },
      draft_version: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 },
      last_version: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      updated_by: reference('users', true, 'SET NULL'),
      ...timestamps(),
    },
    tableOptions,
  );
  await qi.addIndex('flows', ['code'], { name: 'flows_code', unique: true });

  await qi.createTable(
    'flow_versions',
    {
      id: idColumn(),
      flow_id: reference('flows', false, 'CASCADE'),
      version: { type: DataTypes.INTEGER, allowNull: false },
      // The published flow document (JSON); never changed after publishing.
      definition: { type: longText(qi), allowNull: false },
      published_at: instant(),
      published_by: reference('users', true, 'SET NULL'),
      ...timestamps(),
    },
    tableOptions,
  );
  await qi.addIndex('flow_versions', ['flow_id', 'version'], { name: 'flow_versions_flow_version', unique: true });
}

export async function down({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.dropTable('flow_versions');
  await qi.dropTable('flows');
}
