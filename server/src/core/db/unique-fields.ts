import type { UniqueConstraintError } from 'sequelize';

/**
 * The columns (or, on MySQL, the unique index) a duplicate key error names. The ORM gives them as
 * the keys of an object on MySQL and as an array of column names on SQLite.
 */
export function uniqueFieldsOf(error: UniqueConstraintError): string[] {
  const fields = error.fields as Record<string, unknown> | string[] | undefined;
  return Array.isArray(fields) ? fields : Object.keys(fields ?? {});
}
