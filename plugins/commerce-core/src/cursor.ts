import type { PluginKeyValue } from '@scrm/plugin-sdk';

export interface CursorPage<C, T> {
  items: T[];
  /** The cursor to resume from; saved only after every item of the page was handled. */
  next: C;
  more: boolean;
}

/**
 * Polls a platform with a durable cursor: each page's items are handled, then the cursor is saved,
 * so a crash repeats at most one page (intake is idempotent) and never skips one.
 */
export async function pollWithCursor<C, T>(options: {
  kv: PluginKeyValue;
  key: string;
  initial: () => C;
  fetchPage(cursor: C): Promise<CursorPage<C, T>>;
  handle(item: T): Promise<void>;
  maxPages?: number;
}): Promise<{ pages: number; items: number; cursor: C }> {
  let cursor = (await options.kv.get<C>(options.key)) ?? options.initial();
  let pages = 0;
  let items = 0;
  for (;;) {
    const page = await options.fetchPage(cursor);
    for (const item of page.items) await options.handle(item);
    items += page.items.length;
    pages += 1;
    cursor = page.next;
    await options.kv.set(options.key, cursor);
    if (!page.more || pages >= (options.maxPages ?? 50)) return { pages, items, cursor };
  }
}
