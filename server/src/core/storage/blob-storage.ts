import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { AppError } from '../errors';

/** What a caller knows about a new blob: its file extension, a sub-folder (e.g. the order id) and its content type. */
export interface BlobHint {
  extension: string;
  folder?: string;
  contentType?: string;
}

export interface OpenedBlob {
  stream: Readable;
  size: number;
  /** Known when the driver keeps it (S3); the local disk does not. */
  contentType: string | null;
}

/**
 * Where file bytes live (work-order attachments, chat-archive media); the database keeps only the key.
 * Keys are relative (`2026/11/42/<random>.jpg`) and stay valid when the driver changes.
 */
export interface BlobStorage {
  /** Moves a received temporary file into storage (the temporary file is gone afterwards); returns its key. */
  putFile(tempPath: string, hint: BlobHint): Promise<string>;
  putBytes(bytes: Buffer, hint: BlobHint): Promise<string>;
  /** Throws BlobNotFoundError when nothing is stored under the key. */
  open(key: string): Promise<OpenedBlob>;
  read(key: string): Promise<Buffer>;
  /** Removing a missing key is not an error. */
  remove(key: string): Promise<void>;
  /** The key's file path, for drivers that keep files on a local disk (a missing file is not checked). */
  localPath?(key: string): string;
}

/** A stored file the database points at is missing: 404 to whoever asked for it. */
export class BlobNotFoundError extends AppError {
  constructor(readonly key: string) {
    super('NOT_FOUND', `stored file ${key} not found`);
    this.name = 'BlobNotFoundError';
  }
}

/** The storage itself failed (refused credentials, unreachable endpoint, bad key): a 5xx, logged with this message. */
export class StorageError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StorageError';
  }
}

/** A new key: `<yyyy>/<mm>/[<folder>/]<random>[.<ext>]`, month in UTC; an extension that is not 1–8 letters or digits is dropped. */
export function newBlobKey(hint: BlobHint, now = new Date()): string {
  const extension = /^[a-z0-9]{1,8}$/.test(hint.extension) ? `.${hint.extension}` : '';
  const folder = hint.folder !== undefined ? [hint.folder] : [];
  const key = [String(now.getUTCFullYear()), String(now.getUTCMonth() + 1).padStart(2, '0'), ...folder, `${randomBytes(12).toString('hex')}${extension}`].join('/');
  return assertSafeKey(key);
}

/** Refuses keys that could escape their root: absolute, empty or dot segments, backslashes, control characters. */
export function assertSafeKey(key: string): string {
  const segments = key.split('/');
  // eslint-disable-next-line no-control-regex
  const unsafe = !key || key.length > 512 || /[\\\u0000-\u001f]/.test(key) || segments.some((s) => s === '' || s === '.' || s === '..');
  if (unsafe) throw new StorageError(`storage key ${JSON.stringify(key.slice(0, 80))} is not a safe relative path`);
  return key;
}

/** Collects a blob into memory (for callers that need the bytes, such as media checks). */
export async function readAll(blob: OpenedBlob): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of blob.stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}
