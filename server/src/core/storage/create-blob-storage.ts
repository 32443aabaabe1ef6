import { join } from 'node:path';
import type { AppConfig } from '../../config/load-config';
import type { BlobStorage } from './blob-storage';
import type * as S3Driver from './s3-storage';
import { createLocalDiskStorage } from './local-disk-storage';

/** What is stored: each area keeps its own folder (local) or key prefix (S3), so keys never collide. */
export type BlobArea = 'uploads' | 'archive-media' | 'customer-imports';

export type StorageSettings = Pick<AppConfig, 'dataDir' | 'STORAGE_DRIVER' | 'S3_ENDPOINT' | 'S3_REGION' | 'S3_BUCKET' | 'S3_PREFIX' | 'S3_FORCE_PATH_STYLE' | 'S3_ACCESS_KEY_ID' | 'S3_SECRET_ACCESS_KEY'>;

/** The storage STORAGE_DRIVER selects for one area: `DATA_DIR/<area>/` on disk, or `<S3_PREFIX><area>/` in S3_BUCKET. */
export function createBlobStorage(settings: StorageSettings, area: BlobArea): BlobStorage {
  if (settings.STORAGE_DRIVER === 'local') return createLocalDiskStorage(join(settings.dataDir, area));
  // The AWS SDK is loaded only when S3 is chosen: local installations do not pay for it at start-up.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createS3Storage } = require('./s3-storage') as typeof S3Driver;
  // loadConfig refuses STORAGE_DRIVER=s3 without a bucket.
  const { S3_ACCESS_KEY_ID: accessKeyId, S3_SECRET_ACCESS_KEY: secretAccessKey } = settings;
  return createS3Storage({
    endpoint: settings.S3_ENDPOINT,
    region: settings.S3_REGION,
    bucket: settings.S3_BUCKET ?? '',
    prefix: `${settings.S3_PREFIX}${area}/`,
    forcePathStyle: settings.S3_FORCE_PATH_STYLE,
    credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined,
  });
}

