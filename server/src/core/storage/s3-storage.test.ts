import { existsSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startS3Simulator, type S3Simulator } from '../../testing/s3-simulator';
import { BlobNotFoundError, readAll, StorageError } from './blob-storage';
import { createS3Storage, MAX_PUT_OBJECT_BYTES, type S3StorageOptions } from './s3-storage';

describe('S3 storage against the S3 simulator', () => {
  let s3: S3Simulator;
  let options: S3StorageOptions;

  beforeAll(async () => {
    s3 = await startS3Simulator();
    options = { endpoint: s3.endpoint, region: s3.region, bucket: s3.bucket, prefix: 'scrm/uploads/', forcePathStyle: true, credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey } };
  });
  afterAll(() => s3.stop());

  it('moves a temporary file into the bucket under the prefix, opens it with size and content type, and removes it', async () => {
    const storage = createS3Storage(options);
    const temp = join(mkdtempSync(join(tmpdir(), 's3-put-')), 'photo.upload');
    const photo = Buffer.from('a photo of the installed lock, 照片');
    writeFileSync(temp, photo);

    const key = await storage.putFile(temp, { extension: 'jpg', folder: '42', contentType: 'image/jpeg' });
    expect(key).toMatch(/^\d{4}\/\d{2}\/42\/[0-9a-f]{24}\.jpg$/);
    expect(existsSync(temp)).toBe(false);
    expect(s3.keys()).toContain(`scrm/uploads/${key}`);

    const opened = await storage.open(key);
    expect({ size: opened.size, contentType: opened.contentType }).toEqual({ size: photo.length, contentType: 'image/jpeg' });
    expect((await readAll(opened)).equals(photo)).toBe(true);

    await storage.remove(key);
    expect(s3.keys()).not.toContain(`scrm/uploads/${key}`);
    await expect(storage.open(key)).rejects.toBeInstanceOf(BlobNotFoundError);
    // Removing what is already gone is not an error.
    await expect(storage.remove(key)).resolves.toBeUndefined();
  });

  it('round-trips 3 MB of bytes, every byte value included', async () => {
    const storage = createS3Storage(options);
    const bytes = Buffer.from(Array.from({ length: 3 * 1024 * 1024 }, (_, i) => (i * 7) % 256));
    const key = await storage.putBytes(bytes, { extension: 'amr' });
    expect((await storage.read(key)).equals(bytes)).toBe(true);
  });

  it('retries an upload the store is too busy for, sending the whole file again each time', async () => {
    const storage = createS3Storage(options);
    const temp = join(mkdtempSync(join(tmpdir(), 's3-retry-')), 'video.upload');
    const video = Buffer.from(Array.from({ length: 200_000 }, (_, i) => i % 256));
    writeFileSync(temp, video);
    s3.failNext(2);
    const key = await storage.putFile(temp, { extension: 'mp4' });
    expect((await storage.read(key)).equals(video)).toBe(true);

    writeFileSync(temp, video);
    s3.failNext(3);
    await expect(storage.putFile(temp, { extension: 'mp4' })).rejects.toThrow(/refused: SlowDown \(HTTP 503\)$/);
    // Nothing was stored, so the received file is kept for the caller.
    expect(existsSync(temp)).toBe(true);
  });

  it('refuses a file above the single-PutObject limit before sending anything, and keeps it', async () => {
    const storage = createS3Storage(options);
    const temp = join(mkdtempSync(join(tmpdir(), 's3-huge-')), 'huge.upload');
    // A sparse file: its size without its bytes.
    writeFileSync(temp, '');
    truncateSync(temp, MAX_PUT_OBJECT_BYTES + 1);
    const before = s3.keys();
    await expect(storage.putFile(temp, { extension: 'mp4' })).rejects.toThrow(`a file of ${MAX_PUT_OBJECT_BYTES + 1} bytes exceeds the S3 single-upload limit of ${MAX_PUT_OBJECT_BYTES} bytes`);
    expect(s3.keys()).toEqual(before);
    expect(existsSync(temp)).toBe(true);
    rmSync(temp);
  });

  it('answers a missing key with a not-found error naming the key', async () => {
    const storage = createS3Storage(options);
    const missing = storage.read('2026/01/nothing-here.jpg');
    await expect(missing).rejects.toBeInstanceOf(BlobNotFoundError);
    await expect(missing).rejects.toMatchObject({ status: 404, message: 'stored file 2026/01/nothing-here.jpg not found' });
  });

  it('refuses a wrong secret with a clear error, stores nothing, and never shows the secret', async () => {
    const wrongSecret = 'not-the-secret-0123456789abcdefghijklmn';
    const storage = createS3Storage({ ...options, credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: wrongSecret } });
    const before = s3.keys();
    const refused = await storage.putBytes(Buffer.from('x'), { extension: 'txt' }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(StorageError);
    expect((refused as Error).message).toMatch(/^S3 PutObject of "scrm\/uploads\/\d{4}\/\d{2}\/[0-9a-f]{24}\.txt" in bucket "scrm-test" refused: SignatureDoesNotMatch \(HTTP 403\) — check S3_SECRET_ACCESS_KEY$/);
    expect((refused as Error).message).not.toContain(wrongSecret);
    expect(s3.keys()).toEqual(before);
    await expect(storage.open('2026/01/a.jpg')).rejects.toThrow(/GetObject .* refused: SignatureDoesNotMatch/);
  });

  it('refuses an unknown access key id and a bucket that does not exist', async () => {
    const stranger = createS3Storage({ ...options, credentials: { accessKeyId: 'AKIDUNKNOWN', secretAccessKey: s3.secretAccessKey } });
    await expect(stranger.putBytes(Buffer.from('x'), { extension: 'txt' })).rejects.toThrow(/refused: InvalidAccessKeyId \(HTTP 403\) — check S3_ACCESS_KEY_ID/);
    const elsewhere = createS3Storage({ ...options, bucket: 'no-such-bucket' });
    await expect(elsewhere.putBytes(Buffer.from('x'), { extension: 'txt' })).rejects.toThrow(/in bucket "no-such-bucket" refused: NoSuchBucket \(HTTP 404\) — check S3_BUCKET/);
  });

  it('refuses keys that would leave the prefix', async () => {
    const storage = createS3Storage(options);
    for (const key of ['../other/a.jpg', '/2026/01/a.jpg', '2026//a.jpg', '2026\\a.jpg']) await expect(storage.open(key)).rejects.toBeInstanceOf(StorageError);
  });

  it('says where a store that cannot be reached is', async () => {
    const closed = await startS3Simulator();
    await closed.stop();
    const storage = createS3Storage({ ...options, endpoint: closed.endpoint });
    await expect(storage.putBytes(Buffer.from('x'), { extension: 'txt' })).rejects.toThrow(/^S3 PutObject of ".+" in bucket "scrm-test" failed: .*ECONNREFUSED/);
  });
});
