/**
 * The technician page's outbox (plain TypeScript, no browser): keys made once, order kept per work
 * order, backoff on failures worth retrying, refusals kept with their message, persistence across visits.
 */
import { backoffMs, createSubmissionQueue, memoryQueueStore, newIdempotencyKey, type SendOutcome, type Submission } from '../src/mobile/submission-queue';

function harness(outcomes: Array<SendOutcome | Error> = [], owner = 7) {
  let clock = 1_000_000;
  let seq = 0;
  const store = memoryQueueStore();
  const sent: Array<{ id: string; kind: string; orderId: number }> = [];
  const done: string[] = [];
  const queue = createSubmissionQueue({
    store,
    owner,
    now: () => clock,
    random: () => 0.5,
    newKey: () => `key-${String(++seq).padStart(4, '0')}`,
    send: async (item) => {
      sent.push({ id: item.id, kind: item.kind, orderId: item.orderId });
      const next = outcomes.shift() ?? { kind: 'done', result: { ok: item.id } };
      if (next instanceof Error) throw next;
      return next;
    },
    onDone: (item) => done.push(item.id),
  });
  return { queue, store, sent, done, advance: (ms: number) => (clock += ms), now: () => clock };
}

describe('technician submission queue', () => {
  it('makes well-formed idempotency keys that do not repeat', () => {
    const keys = new Set(Array.from({ length: 1000 }, () => newIdempotencyKey()));
    expect(keys.size).toBe(1000);
    for (const key of keys) expect(key).toMatch(/^[\w.:-]{8,128}$/);
  });

  it('backs off exponentially up to a minute, with jitter around the base', () => {
    expect([1, 2, 3, 4].map((n) => backoffMs(n, () => 0.5))).toEqual([2000, 4000, 8000, 16000]);
    expect(backoffMs(20, () => 0.5)).toBe(60000);
    expect(backoffMs(1, () => 0)).toBe(1500);
    expect(backoffMs(1, () => 0.999999)).toBeLessThanOrEqual(2500);
  });

  it('sends a queued submission, removes it from the store and reports it done', async () => {
    const h = harness();
    await h.queue.enqueue(1, 'check-in', { lat: 31.2, lng: 121.4 });
    await h.queue.flush();
    expect(h.sent).toEqual([{ id: 'key-0001', kind: 'check-in', orderId: 1 }]);
    expect(h.done).toEqual(['key-0001']);
    expect(h.queue.items()).toEqual([]);
    expect(h.store.rows.size).toBe(0);
  });

  it('keeps the same key on every retry, waits out the backoff, and holds back later submissions of the same order', async () => {
    const h = harness([{ kind: 'retry', error: 'offline' }, { kind: 'done', result: null }, new Error('socket hang up')]);
    await h.queue.enqueue(1, 'photo', { name: 'a.jpg' });
    await h.queue.flush();
    await h.queue.enqueue(1, 'complete', { lockVersion: 0 });
    await h.queue.enqueue(2, 'check-in', { lat: 1, lng: 2 });
    await h.queue.flush();
    // the photo failed once; the completion of order 1 waits behind it, order 2 is not held back
    expect(h.sent.map((s) => s.id)).toEqual(['key-0001', 'key-0003']);
    const [photo] = h.queue.items();
    expect(photo).toMatchObject({ id: 'key-0001', attempts: 1, lastError: 'offline', state: 'pending', nextAttemptAt: h.now() + 2000 });

    h.advance(1999);
    await h.queue.flush();
    expect(h.sent).toHaveLength(2);
    h.advance(1);
    await h.queue.flush(); // second attempt throws: counted as a failure worth retrying
    expect(h.sent.map((s) => s.id)).toEqual(['key-0001', 'key-0003', 'key-0001']);
    expect(h.queue.items()[0]).toMatchObject({ attempts: 2, lastError: 'socket hang up', nextAttemptAt: h.now() + 4000 });

    await h.queue.retryNow(); // back online: no more waiting, and the completion follows its photo
    expect(h.sent.map((s) => s.id)).toEqual(['key-0001', 'key-0003', 'key-0001', 'key-0001', 'key-0002']);
    expect(h.done).toEqual(['key-0003', 'key-0001', 'key-0002']);
    expect(h.queue.items()).toEqual([]);
  });

  it('keeps a refused submission with the server message; it no longer holds the order back and can be dismissed', async () => {
    const h = harness([{ kind: 'rejected', error: 'at least 1 photos of this step are required' }]);
    await h.queue.enqueue(3, 'complete', { lockVersion: 0 });
    await h.queue.flush();
    await h.queue.enqueue(3, 'photo', { name: 'b.jpg' });
    await h.queue.flush();
    expect(h.sent.map((s) => s.id)).toEqual(['key-0001', 'key-0002']);
    expect(h.queue.items()).toEqual([expect.objectContaining({ id: 'key-0001', state: 'rejected', lastError: 'at least 1 photos of this step are required' })]);
    expect(h.queue.nextDueAt()).toBeNull();
    await h.queue.retryNow();
    expect(h.sent).toHaveLength(2); // a rejected submission is not sent again
    await h.queue.dismiss('key-0001');
    expect(h.queue.items()).toEqual([]);
    expect(h.store.rows.size).toBe(0);
  });

  it('picks up what an earlier visit left unsent, only the signed-in user’s, with its original key', async () => {
    const store = memoryQueueStore();
    const left = (id: string, owner: number): Submission => ({ id, owner, orderId: 9, kind: 'complete', payload: { lockVersion: 2 }, createdAt: 1, attempts: 3, nextAttemptAt: 0, state: 'pending', lastError: 'offline' });
    await store.save(left('mine-00001', 7));
    await store.save(left('theirs-0001', 8));
    const keys: string[] = [];
    const queue = createSubmissionQueue({ store, owner: 7, send: async (item) => (keys.push(item.id), { kind: 'done', result: null }) });
    await queue.init();
    expect(queue.items().map((i) => i.id)).toEqual(['mine-00001']);
    await queue.flush();
    expect(keys).toEqual(['mine-00001']);
    expect([...store.rows.keys()]).toEqual(['theirs-0001']);
  });

  it('never sends the same submission twice at once when flushes overlap', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const store = memoryQueueStore();
    let calls = 0;
    const queue = createSubmissionQueue({
      store,
      owner: 1,
      send: async () => {
        calls += 1;
        await gate;
        return { kind: 'done', result: null };
      },
    });
    await queue.enqueue(1, 'complete', {});
    const flushes = [queue.flush(), queue.flush(), queue.retryNow()];
    release();
    await Promise.all(flushes);
    expect(calls).toBe(1);
    expect(queue.items()).toEqual([]);
  });
});
