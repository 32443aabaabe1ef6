import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BlobNotFoundError, readAll, StorageError } from './blob-storage';
import { createLocalDiskStorage } from './local-disk-storage';

describe('local disk storage', () => {
  const root = () => mkdtempSync(join(tmpdir(), 'blob-local-'));

  it('moves a temporary file under <root>/<yyyy>/<mm>/<folder>/, opens it with its size, and removes it', async () => {
    const dir = root();
    const storage = createLocalDiskStorage(join(dir, 'uploads'));
    const temp = join(dir, 'incoming-1');
    writeFileSync(temp, 'signature strokes');

    const key = await storage.putFile(temp, { extension: 'png', folder: '7' });
    expect(key).toMatch(/^\d{4}\/\d{2}\/7\/[0-9a-f]{24}\.png$/);
    expect(existsSync(temp)).toBe(false);
    expect(readFileSync(join(dir, 'uploads', key), 'utf8')).toBe('signature strokes');
    const opened = await storage.open(key);
    expect([opened.size, opened.contentType]).toEqual([17, null]);
    expect((await readAll(opened)).toString()).toBe('signature strokes');

    await storage.remove(key);
    expect(existsSync(join(dir, 'uploads', key))).toBe(false);
    await expect(storage.remove(key)).resolves.toBeUndefined();
  });

  it('round-trips bytes and drops an extension that is not 1–8 letters or digits', async () => {
    const storage = createLocalDiskStorage(root());
    const bytes = Buffer.from([0, 255, 1, 254, 10, 13]);
    const key = await storage.putBytes(bytes, { extension: 'x/../y' });
    expect(key).toMatch(/^\d{4}\/\d{2}\/[0-9a-f]{24}$/);
    expect((await storage.read(key)).equals(bytes)).toBe(true);
  });

  it('answers a missing key with a not-found error', async () => {
    const storage = createLocalDiskStorage(root());
    await expect(storage.open('2026/01/gone.jpg')).rejects.toBeInstanceOf(BlobNotFoundError);
    await expect(storage.read('2026/01/gone.jpg')).rejects.toMatchObject({ status: 404 });
  });

  it('refuses keys that would leave the root, and touches nothing', async () => {
    const dir = root();
    writeFileSync(join(dir, 'secret.txt'), 'outside');
    const storage = createLocalDiskStorage(join(dir, 'uploads'));
    for (const key of ['../secret.txt', '2026/../../secret.txt', join(dir, 'secret.txt'), '2026\\..\\..\\secret.txt', '']) {
      await expect(storage.read(key)).rejects.toBeInstanceOf(StorageError);
      await expect(storage.remove(key)).rejects.toBeInstanceOf(StorageError);
    }
    expect(readFileSync(join(dir, 'secret.txt'), 'utf8')).toBe('outside');
  });
});
