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
