import { DataTypes, type Model, type ModelAttributes, type ModelStatic, type Optional, type Sequelize } from 'sequelize';

/** Columns every table row has; row types list their own columns on top. */
export interface Timestamps {
  created_at: Date;
  updated_at: Date;
}

/** Rows read with `raw: true` are plain `Row`s; the intersection lets both uses type-check. */
export type TableModel<Row extends object, Generated extends keyof Row = never> = ModelStatic<Model<Row, Optional<Row, Generated>> & Row>;

/** Any table whose rows are `Row`, whatever its generated columns. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyTableModel<Row extends object> = ModelStatic<Model<Row, any> & Row>;

export const id = { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true } as const;

/**
 * Defines a table on one Sequelize instance (no global model classes, so two apps can live in one
 * process). Attribute names are the snake_case column names.
 */
export function defineTable<Row extends object, Generated extends keyof Row = never>(
  sequelize: Sequelize,
  tableName: string,
  attributes: ModelAttributes,
  options: { timestamps?: boolean } = {},
): TableModel<Row, Generated> {
  return sequelize.define(tableName, attributes, {
    tableName,
    underscored: true,
    timestamps: options.timestamps ?? true,
    createdAt: options.timestamps === false ? false : 'created_at',
    updatedAt: options.timestamps === false ? false : 'updated_at',
  }) as unknown as TableModel<Row, Generated>;
}
