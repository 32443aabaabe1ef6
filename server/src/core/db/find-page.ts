import type { FindOptions, Model, ModelStatic } from 'sequelize';

/** A page of rows and how many rows match in all. */
export interface FoundPage<M> {
  rows: M[];
  count: number;
}

/**
 * The total of a page that tells it: a page shorter than its limit is the last one, so everything
 * matching is before it or on it. Not a page past the end (empty, after an offset): the rows may end
 * anywhere before it. Null when the matching rows must be counted.
 */
export function totalShownBy(rowsOnPage: number, range: { offset: number; limit: number }): number | null {
  const lastPage = rowsOnPage < range.limit && (rowsOnPage > 0 || range.offset === 0);
  return lastPage ? range.offset + rowsOnPage : null;
}

/**
 * `findAndCountAll` for pages of plain rows (no includes), counting only when the page does not tell
 * the total: a first page holding every match (a search, a small store), or a last page, costs one
 * statement instead of two. A full page is counted after it is read.
 */
export async function findPage<M extends Model>(model: ModelStatic<M>, options: Omit<FindOptions<M['_attributes']>, 'include'> & { offset: number; limit: number }): Promise<FoundPage<M>> {
  const rows = await model.findAll(options);
  const shown = totalShownBy(rows.length, options);
  return { rows, count: shown ?? (await model.count({ where: options.where, transaction: options.transaction })) };
}
