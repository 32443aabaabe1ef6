import { onBeforeUnmount, shallowRef } from 'vue';

import { idbQueueStore } from './idb-queue-store';
import { createSubmissionQueue, type Submission, type SubmissionQueue } from './submission-queue';
import { sendSubmission } from './submission-sender';

/**
 * The outbox for the signed-in technician: retried when its backoff falls due, at once when the
 * browser comes back online, and every item shown while it waits.
 */
export function useOutbox(onDone: (item: Submission, result: unknown) => void) {
  const items = shallowRef<Submission[]>([]);
  let queue: SubmissionQueue | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;

  function schedule() {
    if (timer) clearTimeout(timer);
    timer = null;
    const due = queue?.nextDueAt();
    if (due === null || due === undefined) return;
    timer = setTimeout(() => void queue?.flush(), Math.max(0, due - Date.now()) + 50);
  }

  const online = () => void queue?.retryNow();

  async function start(owner: number) {
    queue = createSubmissionQueue({
      store: await idbQueueStore(),
      owner,
      send: sendSubmission,
      onChange: (next) => {
        items.value = next;
        schedule();
      },
      onDone,
    });
    await queue.init();
    window.addEventListener('online', online);
    void queue.flush();
  }

  onBeforeUnmount(() => {
    window.removeEventListener('online', online);
    if (timer) clearTimeout(timer);
  });

  const ready = () => {
    if (!queue) throw new Error('the outbox is not started');
    return queue;
  };

  return {
    items,
    start,
    enqueue: <P>(orderId: number, kind: Submission['kind'], payload: P) => ready().enqueue(orderId, kind, payload),
    retryNow: () => ready().retryNow(),
    dismiss: (id: string) => ready().dismiss(id),
  };
}

export type Outbox = ReturnType<typeof useOutbox>;
