import { z } from 'zod';

export const pageQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});

export type PageQuery = z.infer<typeof pageQuery>;

export const toOffset = (query: PageQuery) => ({ offset: (query.page - 1) * query.pageSize, limit: query.pageSize });

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export const pageOf = <T>(items: T[], total: number, query: PageQuery): Page<T> => ({ items, total, page: query.page, pageSize: query.pageSize });

/** OpenAPI shape of a page of `item`. */
export const pageSchema = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });

export const idParams = z.object({ id: z.coerce.number().int().positive() });
