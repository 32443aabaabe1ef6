import { createReadStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client, S3ServiceException, type S3ClientConfig } from '@aws-sdk/client-s3';
import { assertSafeKey, BlobNotFoundError, newBlobKey, readAll, StorageError, type BlobHint, type BlobStorage } from './blob-storage';

/**
 * The largest object one PutObject may carry (S3's single-request limit, 5 GiB). Multipart upload is
 * not used: this installation's files stay far below it (attachments 20 MB, archived videos 200 MB).
 */
export const MAX_PUT_OBJECT_BYTES = 5 * 1024 ** 3;

/** Attempts of one upload, 200 ms then 400 ms apart; each opens the file afresh, since a half-read stream cannot be sent again. */
const PUT_ATTEMPTS = 3;
const PUT_BACKOFF_MS = 200;

/** The SDK's own console notes are dropped: failures reach the caller as a StorageError naming bucket and key. */
const quietSdkLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

export interface S3StorageOptions {
  /** An S3-compatible endpoint (MinIO, Ceph, OSS, COS…); unset means AWS. */
  endpoint?: string;
  region: string;
  bucket: string;
  /** Prepended to every key, e.g. `scrm/uploads/`. */
  prefix: string;
  /** `https://endpoint/bucket/key` instead of `https://bucket.endpoint/key` (MinIO and most self-hosted stores). */
  forcePathStyle: boolean;
  /** Unset: the AWS default chain (environment, profile, instance role). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/** Objects `<prefix><key>` in one bucket of an S3-compatible store, through PutObject, GetObject and DeleteObject. */
export function createS3Storage(options: S3StorageOptions): BlobStorage {
  const settings: S3ClientConfig = {
    endpoint: options.endpoint,
    region: options.region,
    forcePathStyle: options.forcePathStyle,
    credentials: options.credentials,
    // Checksums only where S3 requires them: the newer default (CRC32 trailers in aws-chunked bodies)
    // is refused by many S3-compatible stores.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    logger: quietSdkLogger,
  };
  const client = new S3Client(settings);
  // Uploads are retried by put() with a fresh body each time: the SDK cannot replay a stream it has read.
  const putClient = new S3Client({ ...settings, maxAttempts: 1 });
  const { bucket } = options;
  const objectKey = (key: string) => `${options.prefix}${assertSafeKey(key)}`;
  const failure = (operation: string, key: string, error: unknown) => describeFailure(operation, bucket, objectKey(key), error);

  async function put(hint: BlobHint, size: number, body: () => Buffer | Readable): Promise<string> {
    if (size > MAX_PUT_OBJECT_BYTES) throw new StorageError(`a file of ${size} bytes exceeds the S3 single-upload limit of ${MAX_PUT_OBJECT_BYTES} bytes`);
    const key = newBlobKey(hint);
    for (let attempt = 1; ; attempt++) {
      try {
        await putClient.send(new PutObjectCommand({ Bucket: bucket, Key: objectKey(key), Body: body(), ContentLength: size, ContentType: hint.contentType }));
        return key;
      } catch (error) {
        if (attempt >= PUT_ATTEMPTS || !isRetryable(error)) throw failure('PutObject', key, error);
        await delay(PUT_BACKOFF_MS * 2 ** (attempt - 1));
      }
    }
  }

  async function open(key: string) {
    try {
      const reply = await client.send(new GetObjectCommand({ Bucket: bucket, Key: objectKey(key) }));
      return { stream: reply.Body as Readable, size: Number(reply.ContentLength ?? 0), contentType: reply.ContentType ?? null };
    } catch (error) {
      if (error instanceof S3ServiceException && (error.name === 'NoSuchKey' || error.$metadata.httpStatusCode === 404)) throw new BlobNotFoundError(key);
      throw failure('GetObject', key, error);
    }
  }

  return {
    async putFile(tempPath, hint) {
      const { size } = await stat(tempPath);
      const key = await put(hint, size, () => createReadStream(tempPath));
      await rm(tempPath, { force: true });
      return key;
    },
    putBytes: (bytes, hint) => put(hint, bytes.length, () => bytes),
    open,
    read: async (key) => readAll(await open(key)),
    async remove(key) {
      try {
        await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: objectKey(key) }));
      } catch (error) {
        throw failure('DeleteObject', key, error);
      }
    },
  };
}

const isRetryable = (error: unknown) => {
  if (!(error instanceof S3ServiceException)) return true; // network: refused, reset, timed out
  const status = error.$metadata.httpStatusCode ?? 0;
  return status >= 500 || status === 429 || error.name === 'RequestTimeout';
};

/** A message naming the operation, bucket and key, S3's error code and what to check; never the credentials. */
function describeFailure(operation: string, bucket: string, objectKey: string, error: unknown): StorageError {
  const where = `S3 ${operation} of "${objectKey}" in bucket "${bucket}"`;
  if (!(error instanceof S3ServiceException)) return new StorageError(`${where} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  const status = error.$metadata.httpStatusCode;
  const advice: Record<string, string> = {
    SignatureDoesNotMatch: 'check S3_SECRET_ACCESS_KEY',
    InvalidAccessKeyId: 'check S3_ACCESS_KEY_ID',
    AccessDenied: 'check the bucket policy for this access key',
    NoSuchBucket: 'check S3_BUCKET',
    RequestTimeTooSkewed: "check this machine's clock",
  };
  const hint = advice[error.name] ? ` — ${advice[error.name]}` : '';
  return new StorageError(`${where} refused: ${error.name}${status ? ` (HTTP ${status})` : ''}${hint}`);
}
