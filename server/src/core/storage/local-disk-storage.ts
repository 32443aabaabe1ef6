import { copyFile, mkdir, open as openFile, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import { assertSafeKey, BlobNotFoundError, newBlobKey, StorageError, type BlobStorage } from './blob-storage';

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException | null)?.code === 'ENOENT';

/** Files under `<root>/<key>` on the local disk (or a volume every instance mounts). */
export function createLocalDiskStorage(root: string): BlobStorage {
  const base = resolve(root);
  const pathOf = (key: string) => {
    const path = resolve(base, assertSafeKey(key));
    if (!path.startsWith(base + sep)) throw new StorageError('storage key outside the storage root');
    return path;
  };
  const targetFor = async (key: string) => {
    const path = pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    return path;
  };
  return {
    async putFile(tempPath, hint) {
      const key = newBlobKey(hint);
      const target = await targetFor(key);
      try {
        await rename(tempPath, target);
      } catch {
        // Another file system (a mounted volume): copy, then drop the temporary file.
        await copyFile(tempPath, target);
        await rm(tempPath, { force: true });
      }
      return key;
    },
    async putBytes(bytes, hint) {
      const key = newBlobKey(hint);
      await writeFile(await targetFor(key), bytes);
      return key;
    },
    async open(key) {
      const path = pathOf(key);
      // One descriptor for size and stream: the file cannot change between the two.
      const handle = await openFile(path, 'r').catch((error: unknown) => {
        throw isMissing(error) ? new BlobNotFoundError(key) : error;
      });
      try {
        const { size } = await handle.stat();
        return { stream: handle.createReadStream(), size, contentType: null };
      } catch (error) {
        await handle.close();
        throw error;
      }
    },
    async read(key) {
      return readFile(pathOf(key)).catch((error: unknown) => {
        throw isMissing(error) ? new BlobNotFoundError(key) : error;
      });
    },
    async remove(key) {
      await rm(pathOf(key), { force: true });
    },
    localPath: pathOf,
  };
}
