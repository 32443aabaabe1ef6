export interface Page<T> {
  items: T[];
  /** The cursor this page was fetched with ('' for the first page). */
  cursor: string;
  /** '' when this was the last page. */
  nextCursor: string;
  /** 1-based page number. */
  page: number;
}

export interface PageOptions<T> {
  /** Called after each page is fetched, before its items are yielded (progress, checkpointing). */
  onPage?: (page: Page<T>) => void | Promise<void>;
}

/**
 * Walks a WeCom cursor until it comes back empty, yielding items one by one. Stops if WeCom hands
 * back a cursor it already gave (which would otherwise loop forever).
 */
export async function* paginate<T>(
  fetchPage: (cursor: string) => Promise<{ items: T[]; nextCursor: string }>,
  options: PageOptions<T> = {},
): AsyncGenerator<T, void, undefined> {
  const seen = new Set<string>();
  let cursor = '';
  for (let page = 1; ; page++) {
    const { items, nextCursor } = await fetchPage(cursor);
    await options.onPage?.({ items, cursor, nextCursor, page });
    yield* items;
    if (!nextCursor || seen.has(nextCursor)) return;
    seen.add(nextCursor);
    cursor = nextCursor;
  }
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
