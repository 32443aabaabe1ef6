import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rename, copyFile, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';

/** Where attachment bytes live. The database keeps only the key. */
export interface AttachmentStorage {
  /** Moves a received temporary file into storage; returns its key. */
  put(tempPath: string, hint: { orderId: number; extension: string }): Promise<string>;
  open(key: string): Promise<{ stream: Readable; size: number }>;
  remove(key: string): Promise<void>;
}

/** Files under `<root>/<yyyy>/<mm>/<order id>/<random>.<ext>` on the local disk. */
export function createLocalDiskStorage(root: string): AttachmentStorage {
  const base = resolve(root);
  const pathOf = (key: string) => {
    const path = resolve(base, key);
    if (!path.startsWith(base + sep)) throw new Error('attachment key outside the storage root');
    return path;
  };
  return {
    async put(tempPath, hint) {
      const now = new Date();
      const extension = /^[a-z0-9]{1,8}$/.test(hint.extension) ? `.${hint.extension}` : '';
      const key = [String(now.getUTCFullYear()), String(now.getUTCMonth() + 1).padStart(2, '0'), String(hint.orderId), `${randomBytes(12).toString('hex')}${extension}`].join('/');
      const target = pathOf(key);
      await mkdir(dirname(target), { recursive: true });
      try {
        await rename(tempPath, target);
      } catch {
        await copyFile(tempPath, target);
        await rm(tempPath, { force: true });
      }
      return key;
    },
    async open(key) {
      const path = pathOf(key);
      const { size } = await stat(path);
      return { stream: createReadStream(path), size };
    },
    async remove(key) {
      await rm(pathOf(key), { force: true });
    },
  };
}

export const uploadsDir = (dataDir: string) => join(dataDir, 'uploads');
