import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './load-config';

const dataDir = () => mkdtempSync(join(tmpdir(), 'scrm-config-'));

describe('configuration', () => {
  it('uses the embedded defaults when nothing is set', () => {
    const config = loadConfig({ DATA_DIR: dataDir() });
    expect(config).toMatchObject({ PORT: 3000, DB_URL: 'sqlite:./data/scrm.sqlite', dbDialect: 'sqlite', LOG_LEVEL: 'info', SEED_DEMO: true });
    expect(config.REDIS_URL).toBeUndefined();
  });

  it('names the bad variable and says what is wrong', () => {
    expect(() => loadConfig({ PORT: 'eighty', DATA_DIR: dataDir() })).toThrow(/PORT: /);
    expect(() => loadConfig({ DB_URL: 'postgres://x', DATA_DIR: dataDir() })).toThrow('DB_URL: must start with sqlite:, mysql:// or mariadb://');
    expect(() => loadConfig({ LOG_LEVEL: 'loud', DATA_DIR: dataDir() })).toThrow(/LOG_LEVEL: /);
    expect(() => loadConfig({ CRON_OVERRIDES: '{nope', DATA_DIR: dataDir() })).toThrow(/CRON_OVERRIDES: must be a JSON object/);
  });

  it('reports every bad variable at once', () => {
    try {
      loadConfig({ PORT: '-1', REDIS_URL: 'localhost:6379', ADMIN_PASSWORD: 'short', DATA_DIR: dataDir() });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems.map((p) => p.split(':')[0]).sort()).toEqual(['ADMIN_PASSWORD', 'PORT', 'REDIS_URL']);
    }
  });

  it('requires APP_SECRET in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', DATA_DIR: dataDir() })).toThrow(/APP_SECRET: required when NODE_ENV=production/);
    expect(loadConfig({ NODE_ENV: 'production', APP_SECRET: 'x'.repeat(40), DATA_DIR: dataDir() }).SEED_DEMO).toBe(false);
  });

  it('stores files locally by default; S3 needs a bucket, the key id and secret together, and gets a tidy prefix', () => {
    expect(loadConfig({ DATA_DIR: dataDir() })).toMatchObject({ STORAGE_DRIVER: 'local', S3_PREFIX: '', S3_FORCE_PATH_STYLE: false });
    expect(() => loadConfig({ STORAGE_DRIVER: 's3', DATA_DIR: dataDir() })).toThrow('S3_BUCKET: required when STORAGE_DRIVER=s3');
    expect(() => loadConfig({ STORAGE_DRIVER: 's3', S3_BUCKET: 'scrm-files', S3_ACCESS_KEY_ID: 'AKID1', DATA_DIR: dataDir() })).toThrow('S3_SECRET_ACCESS_KEY: set S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY together');
    expect(() => loadConfig({ STORAGE_DRIVER: 'disk', DATA_DIR: dataDir() })).toThrow(/STORAGE_DRIVER: /);
    expect(() => loadConfig({ S3_BUCKET: 'Files_2026', DATA_DIR: dataDir() })).toThrow(/S3_BUCKET: must be an S3 bucket name/);
    expect(() => loadConfig({ S3_ENDPOINT: 'minio:9000', DATA_DIR: dataDir() })).toThrow(/S3_ENDPOINT: /);
    const config = loadConfig({ STORAGE_DRIVER: 's3', S3_BUCKET: 'scrm-files', S3_PREFIX: '/prod/scrm/', S3_FORCE_PATH_STYLE: 'true', S3_ACCESS_KEY_ID: 'AKID1', S3_SECRET_ACCESS_KEY: 'secret-1', DATA_DIR: dataDir() });
    expect(config).toMatchObject({ STORAGE_DRIVER: 's3', S3_BUCKET: 'scrm-files', S3_PREFIX: 'prod/scrm/', S3_FORCE_PATH_STYLE: true, S3_REGION: 'us-east-1' });
  });

  it('generates APP_SECRET once outside production and keeps it under the data folder', () => {
    const dir = dataDir();
    const first = loadConfig({ DATA_DIR: dir }).APP_SECRET;
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(existsSync(join(dir, 'app-secret'))).toBe(true);
    expect(readFileSync(join(dir, 'app-secret'), 'utf8').trim()).toBe(first);
    expect(loadConfig({ DATA_DIR: dir }).APP_SECRET).toBe(first);
  });
});
