import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { BlobNotFoundError, type BlobStorage } from '../../core/storage/blob-storage';
import { UnreadableFileError } from './import-file-reader';

/** A file an import reads from the local disk; `release` drops the copy made for it, if any. */
export interface CheckedOutFile {
  path: string;
  release(): Promise<void>;
}

const gone = () => new UnreadableFileError('the uploaded file is no longer stored; upload it again');

/**
 * Where uploaded import files wait for their import: in the blob storage, so that the instance (or
 * worker) that runs an import need not be the one that received the upload. S3 objects are read
 * through a temporary copy in the import folder's `work` sub-folder under the data directory; local
 * files in place. Files of imports queued before the storage kept them (named `<id>-<hash>.<ext>` in
 * the import folder) are still found.
 */
export function createImportFileStore(deps: { storage: BlobStorage; dataDir: string; folder: string }) {
  const { storage, dataDir, folder } = deps;
  const legacyPath = (filePath: string) => (filePath.startsWith(`${folder}/`) ? resolve(dataDir, filePath) : null);

  async function download(key: string, name: string): Promise<CheckedOutFile> {
    const blob = await storage.open(key).catch((error: unknown) => {
      throw error instanceof BlobNotFoundError ? gone() : error;
    });
    const workDir = join(dataDir, folder, 'work');
    await mkdir(workDir, { recursive: true });
    const path = join(workDir, `${name}-${randomBytes(4).toString('hex')}`);
    const release = () => rm(path, { force: true });
    try {
      await pipeline(blob.stream, createWriteStream(path));
    } catch (error) {
      await release();
      throw error;
    }
    return { path, release };
  }

  return {
    /** Moves an uploaded temporary file into storage; returns what the import row keeps as its `file_path`. */
    put: (tempPath: string, extension: string) => storage.putFile(tempPath, { extension }),

    /** The import's file on the local disk, fetched from storage when the driver keeps it elsewhere. */
    async checkout(filePath: string, name: string): Promise<CheckedOutFile> {
      const local = legacyPath(filePath) ?? storage.localPath?.(filePath) ?? null;
      if (local === null) return download(filePath, name);
      if (!existsSync(local)) throw gone();
      return { path: local, release: async () => undefined };
    },

    /** Deletes the stored file (an imported file holds personal data in clear and is not kept). */
    async remove(filePath: string): Promise<void> {
      const legacy = legacyPath(filePath);
      if (legacy) await rm(legacy, { force: true });
      else await storage.remove(filePath);
    },
  };
}

export type ImportFileStore = ReturnType<typeof createImportFileStore>;
