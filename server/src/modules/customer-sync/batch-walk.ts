import type { ExternalContactWithFollowInfo, WecomClient } from '@scrm/wecom-adapter';

/** batch/get_by_user takes at most 100 employees per call and returns at most 100 relations. */
export const USERS_PER_CALL = 100;
export const PAGE_LIMIT = 100;

export interface WalkPosition {
  /** Index of the group of 100 employees. */
  chunk: number;
  /** WeCom's cursor within that group ('' = its first page). */
  cursor: string;
}

export interface WalkedPage {
  items: ExternalContactWithFollowInfo[];
  chunk: number;
  /** Where the walk carries on after this page; `chunk` past the end when it is done. */
  next: WalkPosition;
}

export const userChunks = (users: readonly string[]) => Array.from({ length: Math.ceil(users.length / USERS_PER_CALL) }, (_, i) => users.slice(i * USERS_PER_CALL, (i + 1) * USERS_PER_CALL));

/**
 * Walks batch/get_by_user over every group of employees from `from`, handing each page to `store`.
 * The next page is fetched while the current one is stored, so the API and the database work at once.
 */
export async function walkBatchPages(client: WecomClient, users: readonly string[], from: WalkPosition, store: (page: WalkedPage) => Promise<void>): Promise<void> {
  const chunks = userChunks(users);
  const fetchPage = async (at: WalkPosition): Promise<WalkedPage> => {
    const res = await client.externalContact.batchGetByUser({ userid_list: chunks[at.chunk] as string[], cursor: at.cursor, limit: PAGE_LIMIT });
    const next = res.next_cursor && res.next_cursor !== at.cursor ? { chunk: at.chunk, cursor: res.next_cursor } : { chunk: at.chunk + 1, cursor: '' };
    return { items: res.external_contact_list, chunk: at.chunk, next };
  };
  const prefetch = (at: WalkPosition) => {
    const pending = fetchPage(at);
    pending.catch(() => undefined);
    return pending;
  };
  if (from.chunk >= chunks.length) return;
  let next: Promise<WalkedPage> | null = prefetch(from);
  while (next) {
    const page: WalkedPage = await next;
    next = page.next.chunk < chunks.length ? prefetch(page.next) : null;
    await store(page);
  }
}
