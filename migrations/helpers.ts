import { DataTypes, type ModelAttributeColumnOptions, type QueryInterface } from 'sequelize';

export interface MigrationContext {
  queryInterface: QueryInterface;
}

/** utf8mb4 everywhere on MySQL/MariaDB; ignored by SQLite. */
export const tableOptions = { charset: 'utf8mb4', collate: 'utf8mb4_unicode_ci' } as const;

export const idColumn = (): ModelAttributeColumnOptions => ({
  type: DataTypes.BIGINT,
  autoIncrement: true,
  primaryKey: true,
  allowNull: false,
});

/** UTC instants with millisecond precision: DATETIME(3) on MySQL/MariaDB. */
export const instant = (allowNull = false): ModelAttributeColumnOptions => ({
  type: DataTypes.DATE(3),
  allowNull,
});

export const timestamps = () => ({ created_at: instant(), updated_at: instant() });

export const reference = (table: string, allowNull = false, onDelete: 'RESTRICT' | 'CASCADE' | 'SET NULL' = 'RESTRICT') => ({
  type: DataTypes.BIGINT,
  allowNull,
  references: { model: table, key: 'id' },
  onDelete,
  onUpdate: 'CASCADE',
});

/** An encrypted personal-data field: ciphertext plus a blind index for exact lookup. */
export const piiColumns = (name: string) => ({
  [`${name}_enc`]: { type: DataTypes.TEXT, allowNull: true },
  [`${name}_bidx`]: { type: DataTypes.STRING(64), allowNull: true },
});

/** LONGTEXT on MySQL/MariaDB, TEXT on SQLite (which has no sizes). */
export const longText = (qi: QueryInterface) => (qi.sequelize.getDialect() === 'sqlite' ? DataTypes.TEXT : DataTypes.TEXT('long'));

interface IndexSpec {
  name: string;
  fields: string[];
  unique?: boolean;
}

/** Adds each index that `table` lacks (by name). */
export async function ensureIndexes(qi: QueryInterface, table: string, indexes: IndexSpec[]): Promise<void> {
  const existing = new Set(((await qi.showIndex(table)) as Array<{ name: string }>).map((index) => index.name));
  for (const index of indexes) {
    if (!existing.has(index.name)) await qi.addIndex(table, index.fields, { name: index.name, unique: index.unique ?? false });
  }
}

/**
 * `changeColumn` that keeps the table's indexes: on SQLite, Sequelize rebuilds the table to change a
 * column and drops every named index on the way, so they are put back afterwards.
 */
export async function changeColumnKeepingIndexes(qi: QueryInterface, table: string, column: string, spec: ModelAttributeColumnOptions): Promise<void> {
  const before = (await qi.showIndex(table)) as Array<{ name: string; unique: boolean; primary?: boolean; fields: Array<{ attribute: string }> }>;
  await qi.changeColumn(table, column, spec);
  if (qi.sequelize.getDialect() !== 'sqlite') return;
  const named = before.filter((index) => !index.primary && !index.name.startsWith('sqlite_autoindex'));
  await ensureIndexes(qi, table, named.map((index) => ({ name: index.name, unique: index.unique, fields: index.fields.map((f) => f.attribute) })));
}
