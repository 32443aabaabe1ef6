import { memoryQueueStore, type QueueStore, type Submission } from './submission-queue';

const DB_NAME = 'scrm-mobile';
const STORE = 'submissions';

const done = <T>(request: IDBRequest<T>) =>
  new Promise<T>((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });

function open(): Promise<IDBDatabase> {
  const request = indexedDB.open(DB_NAME, 1);
  request.onupgradeneeded = () => {
    if (!request.result.objectStoreNames.contains(STORE)) request.result.createObjectStore(STORE, { keyPath: 'id' });
  };
  return done(request);
}

/**
 * The outbox kept in IndexedDB, which also holds the photos' and signatures' Blobs, so that a
 * submission made offline survives closing the page. Falls back to memory when IndexedDB is unavailable.
 */
export async function idbQueueStore(): Promise<QueueStore> {
  let db: IDBDatabase;
  try {
    db = await open();
  } catch {
    return memoryQueueStore();
  }
  const tx = (mode: IDBTransactionMode) => db.transaction(STORE, mode).objectStore(STORE);
  return {
    load: async () => (await done(tx('readonly').getAll())) as Submission[],
    save: async (item) => {
      await done(tx('readwrite').put(item));
    },
    remove: async (id) => {
      await done(tx('readwrite').delete(id));
    },
  };
}
