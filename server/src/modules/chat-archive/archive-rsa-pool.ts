import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { parseRsaPrivateKey, pkcs1Type2Payload, rsaPkcs1Decrypt } from './archive-rsa';

/** One sealed random key to open with the private key of `version`. */
export interface SealedKey {
  version: number;
  sealed: string;
}

/** Opened random keys, in input order; null where decryption failed. */
export type OpenedKeys = Array<string | null>;

export interface RsaPool {
  open(keysByVersion: ReadonlyMap<number, string>, items: SealedKey[]): Promise<OpenedKeys>;
  close(): Promise<void>;
}

const openAll = (pems: Array<[number, string]>, items: SealedKey[]): OpenedKeys => {
  const keys = new Map(pems.map(([version, pem]) => [version, parseRsaPrivateKey(pem)]));
  return items.map((item) => {
    const key = keys.get(item.version);
    if (!key) return null;
    try {
      return rsaPkcs1Decrypt(key, Buffer.from(item.sealed, 'base64')).toString('latin1');
    } catch {
      return null;
    }
  });
};

// The thread body: a plain CommonJS script (no TypeScript loader in threads) sharing the padding check.
const threadSource = `
const { parentPort } = require('node:worker_threads');
const { constants, createPrivateKey, privateDecrypt } = require('node:crypto');
const unpad = ${pkcs1Type2Payload.toString()};
parentPort.on('message', ({ id, pems, items }) => {
  const keys = new Map(pems.map(([v, pem]) => [v, createPrivateKey(pem)]));
  const out = items.map((item) => {
    const key = keys.get(item.version);
    if (!key) return null;
    try {
      const payload = unpad(privateDecrypt({ key, padding: constants.RSA_NO_PADDING }, Buffer.from(item.sealed, 'base64')));
      return payload ? Buffer.from(payload.buffer, payload.byteOffset, payload.length).toString('latin1') : null;
    } catch { return null; }
  });
  parentPort.postMessage({ id, out });
});
`;

/**
 * Opens random keys on every core: batches below `minParallel` run inline; larger ones are split
 * across worker threads (one per core).
 */
export function createRsaPool(options: { threads?: number; minParallel?: number } = {}): RsaPool {
  const size = options.threads ?? availableParallelism();
  const minParallel = options.minParallel ?? 64;
  const workers: Worker[] = [];
  const pending = new Map<number, (out: OpenedKeys) => void>();
  let nextId = 0;

  const ensureWorkers = () => {
    while (workers.length < size) {
      const worker = new Worker(threadSource, { eval: true });
      worker.on('message', ({ id, out }: { id: number; out: OpenedKeys }) => {
        pending.get(id)?.(out);
        pending.delete(id);
        // Idle threads do not keep the process alive; busy ones must, or it could exit mid-batch.
        if (!pending.size) for (const each of workers) each.unref();
      });
      worker.unref();
      workers.push(worker);
    }
  };

  const run = (worker: Worker, pems: Array<[number, string]>, items: SealedKey[]) =>
    new Promise<OpenedKeys>((done) => {
      const id = nextId++;
      pending.set(id, done);
      worker.ref();
      worker.postMessage({ id, pems, items });
    });

  return {
    async open(keysByVersion, items) {
      const pems = [...keysByVersion.entries()];
      if (items.length < minParallel || size < 2) return openAll(pems, items);
      ensureWorkers();
      const per = Math.ceil(items.length / size);
      const parts = await Promise.all(workers.map((worker, i) => (i * per < items.length ? run(worker, pems, items.slice(i * per, (i + 1) * per)) : Promise.resolve([]))));
      return parts.flat();
    },
    async close() {
      await Promise.all(workers.map((worker) => worker.terminate()));
      workers.length = 0;
    },
  };
}
