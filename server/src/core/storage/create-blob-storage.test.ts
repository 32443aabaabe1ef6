import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../config/load-config';
import { s3StorageEnv, startS3Simulator } from '../../testing/s3-simulator';
import { createBlobStorage } from './create-blob-storage';

describe('the storage STORAGE_DRIVER selects', () => {
  it('keeps each area in its own folder under DATA_DIR by default', async () => {
    const config = loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'blob-select-')) });
    const key = await createBlobStorage(config, 'archive-media').putBytes(Buffer.from('voice'), { extension: 'amr' });
    expect(existsSync(join(config.dataDir, 'archive-media', key))).toBe(true);
    await expect(createBlobStorage(config, 'uploads').read(key)).rejects.toMatchObject({ status: 404 });
  });

  it('keeps each area under <S3_PREFIX><area>/ in the bucket with STORAGE_DRIVER=s3', async () => {
    const s3 = await startS3Simulator({ bucket: 'scrm-files', region: 'cn-east-1' });
    try {
      const config = loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'blob-select-')), ...s3StorageEnv(s3, 'prod') });
      const media = createBlobStorage(config, 'archive-media');
      const key = await media.putBytes(Buffer.from('voice'), { extension: 'amr' });
      expect(s3.keys()).toEqual([`prod/archive-media/${key}`]);
      expect((await media.read(key)).toString()).toBe('voice');
      await expect(createBlobStorage(config, 'uploads').read(key)).rejects.toMatchObject({ status: 404 });
      expect(existsSync(join(config.dataDir, 'archive-media'))).toBe(false);
    } finally {
      await s3.stop();
    }
  });
});
