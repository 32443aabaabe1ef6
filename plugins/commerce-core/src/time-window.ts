import type { CursorPage } from './cursor';

/** Where an updated-time poll resumes: the window start and the page within that window. */
export interface WindowCursor {
  since: string;
  page: number;
}

export const startingWindow = (lookBackHours = 24): WindowCursor => ({ since: new Date(Date.now() - lookBackHours * 3600_000).toISOString(), page: 1 });

/**
 * Pages through orders by updated time in windows of at most `maxMinutes` (platforms cap the span).
 * Bounds are inclusive, so an order updated on a boundary is seen twice (intake is idempotent) and
 * never missed.
 */
export async function windowPage<T>(cursor: WindowCursor, maxMinutes: number, fetch: (window: { start: Date; end: Date; page: number }) => Promise<{ items: T[]; hasNext: boolean }>): Promise<CursorPage<WindowCursor, T>> {
  const start = new Date(cursor.since);
  const end = new Date(Math.min(start.getTime() + maxMinutes * 60_000, Date.now()));
  const { items, hasNext } = await fetch({ start, end, page: cursor.page });
  if (hasNext) return { items, next: { since: cursor.since, page: cursor.page + 1 }, more: true };
  return { items, next: { since: end.toISOString(), page: 1 }, more: end.getTime() < Date.now() - 1000 };
}
