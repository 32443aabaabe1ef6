/**
 * The technician page's outbox: check-ins, uploads and completions are stored first and sent
 * afterwards, so a dropped connection loses nothing. Each submission gets its Idempotency-Key once,
 * when it is queued, and keeps it on every retry: the server applies it once however often it is sent.
 *
 * Rules: an order's submissions go in the order they were made (a completion never overtakes the
 * photos before it); a failure worth retrying (offline, timeout, 5xx) waits with exponential backoff
 * and holds back the rest of that order; a refusal (4xx, e.g. missing evidence) is kept, marked
 * rejected with the server's message, and no longer holds anything back.
 *
 * Plain TypeScript with its storage, sender and clock passed in, so it runs (and is tested) outside a browser.
 */

export type SubmissionKind = 'check-in' | 'photo' | 'signature' | 'complete';

export interface Submission<P = unknown> {
  /** Also the Idempotency-Key sent with every attempt. */
  id: string;
  /** The signed-in user who made it: only their own submissions are sent with their token. */
  owner: number;
  orderId: number;
  kind: SubmissionKind;
  payload: P;
  createdAt: number;
  attempts: number;
  nextAttemptAt: number;
  state: 'pending' | 'rejected';
  lastError: string | null;
}

export interface QueueStore {
  load(): Promise<Submission[]>;
  save(item: Submission): Promise<void>;
  remove(id: string): Promise<void>;
}

export type SendOutcome = { kind: 'done'; result: unknown } | { kind: 'retry'; error: string } | { kind: 'rejected'; error: string };

export interface SubmissionQueueDeps {
  store: QueueStore;
  owner: number;
  send(item: Submission): Promise<SendOutcome>;
  now?: () => number;
  newKey?: () => string;
  random?: () => number;
  /** Told after every change (the page shows the pending items). */
  onChange?(items: Submission[]): void;
  /** Told when a submission went through (the page reloads the order). */
  onDone?(item: Submission, result: unknown): void;
}

const BASE_DELAY_MS = 2_000;
const MAX_DELAY_MS = 60_000;

/** Delay before attempt `attempts + 1`: 2 s, 4 s, 8 s … up to a minute, ±25 % so phones don't retry in step. */
export function backoffMs(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempts - 1));
  return Math.round(base * (0.75 + random() * 0.5));
}

/** A key the server accepts (8–128 of letters, digits, _ . : -), unique enough to never repeat. */
export function newIdempotencyKey(random: () => number = Math.random, now: () => number = Date.now): string {
  const part = () => Math.floor(random() * 0x100000000).toString(36).padStart(7, '0');
  return `m-${now().toString(36)}-${part()}${part()}`;
}

const byAge = (a: Submission, b: Submission) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export function createSubmissionQueue(deps: SubmissionQueueDeps) {
  const now = deps.now ?? Date.now;
  const random = deps.random ?? Math.random;
  const newKey = deps.newKey ?? (() => newIdempotencyKey(random, now));
  let items: Submission[] = [];
  let running: Promise<void> | null = null;
  let again = false;

  const changed = () => deps.onChange?.(list());
  const list = () => [...items].sort(byAge);

  async function attempt(item: Submission): Promise<boolean> {
    let outcome: SendOutcome;
    try {
      outcome = await deps.send(item);
    } catch (error) {
      outcome = { kind: 'retry', error: error instanceof Error ? error.message : String(error) };
    }
    if (outcome.kind === 'done') {
      items = items.filter((i) => i.id !== item.id);
      await deps.store.remove(item.id);
      changed();
      deps.onDone?.(item, outcome.result);
      return true;
    }
    const attempts = item.attempts + 1;
    const next: Submission =
      outcome.kind === 'retry'
        ? { ...item, attempts, lastError: outcome.error, nextAttemptAt: now() + backoffMs(attempts, random) }
        : { ...item, attempts, lastError: outcome.error, state: 'rejected' };
    items = items.map((i) => (i.id === item.id ? next : i));
    await deps.store.save(next);
    changed();
    return false;
  }

  async function runOnce(): Promise<void> {
    const held = new Set<number>();
    for (const item of list()) {
      if (item.state !== 'pending' || held.has(item.orderId)) continue;
      if (item.nextAttemptAt > now() || !(await attempt(item))) held.add(item.orderId);
    }
  }

  async function flush(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await runOnce();
      } while (again);
    })().finally(() => {
      running = null;
    });
    return running;
  }

  return {
    /** Reads what an earlier visit left unsent (this user's only). */
    async init(): Promise<void> {
      items = (await deps.store.load()).filter((i) => i.owner === deps.owner);
      changed();
    },
    items: list,
    /** Stores a submission with a fresh key, then tries to send it (and anything due). */
    async enqueue<P>(orderId: number, kind: SubmissionKind, payload: P): Promise<Submission<P>> {
      const item: Submission<P> = { id: newKey(), owner: deps.owner, orderId, kind, payload, createdAt: now(), attempts: 0, nextAttemptAt: 0, state: 'pending', lastError: null };
      await deps.store.save(item);
      items = [...items, item];
      changed();
      void flush();
      return item;
    },
    /** Sends every pending submission that is due, oldest first. */
    flush,
    /** Back online, or the user asked: stop waiting and try everything pending now. */
    async retryNow(): Promise<void> {
      items = items.map((i) => (i.state === 'pending' ? { ...i, nextAttemptAt: 0 } : i));
      changed();
      await flush();
    },
    /** Drops a rejected submission once the user has read why. */
    async dismiss(id: string): Promise<void> {
      items = items.filter((i) => i.id !== id);
      await deps.store.remove(id);
      changed();
    },
    /** When the next waiting submission falls due (null when nothing waits). */
    nextDueAt(): number | null {
      const due = items.filter((i) => i.state === 'pending').map((i) => i.nextAttemptAt);
      return due.length ? Math.min(...due) : null;
    },
  };
}

export type SubmissionQueue = ReturnType<typeof createSubmissionQueue>;

/** A store in memory: for tests, and for browsers without IndexedDB (nothing survives a reload). */
export function memoryQueueStore(): QueueStore & { rows: Map<string, Submission> } {
  const rows = new Map<string, Submission>();
  return {
    rows,
    load: async () => [...rows.values()],
    save: async (item) => {
      rows.set(item.id, item);
    },
    remove: async (id) => {
      rows.delete(id);
    },
  };
}
