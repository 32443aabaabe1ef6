/** Shared shapes of the HTTP contract (docs/api-contract.md). */

export type LocaleCode = 'zh-CN' | 'en-US';

/** A text the server sends in every supported language. */
export type LocalizedText = Partial<Record<LocaleCode, string>> & Record<string, string | undefined>;

export type DataScope = 'all' | 'region' | 'store' | 'self';

export interface PageQuery {
  page?: number;
  pageSize?: number;
}

export interface PageResult<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** Drop empty filter values so they are not sent as `?q=`. */
export function cleanParams<T extends object>(params: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(params) as [keyof T, T[keyof T]][]) {
    if (v === undefined || v === null || (v as unknown) === '') continue;
    out[k] = v;
  }
  return out;
}

/**
 * Some list endpoints answer with a page, some (regions, roles) with a plain array:
 * accept both and hand the views one shape.
 */
export function toPage<T>(data: PageResult<T> | T[] | null | undefined, query: PageQuery = {}): PageResult<T> {
  if (Array.isArray(data)) {
    return { items: data, total: data.length, page: 1, pageSize: Math.max(data.length, query.pageSize ?? 20) };
  }
  if (!data) return { items: [], total: 0, page: query.page ?? 1, pageSize: query.pageSize ?? 20 };
  return { items: data.items ?? [], total: data.total ?? data.items?.length ?? 0, page: data.page ?? 1, pageSize: data.pageSize ?? 20 };
}
