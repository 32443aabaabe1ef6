import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBlobStorage } from '../../core/storage/create-blob-storage';
import { s3StorageEnv, startS3Simulator, type S3Simulator } from '../../testing/s3-simulator';
import { startTestServer, type TestServer } from '../../testing/test-server';
import { IMPORT_DIR } from './customer-import.service';
import { csvOf, getImport, uploadFile } from './import-test-helpers';

/** Files left under an instance's DATA_DIR/customer-imports (the multipart landing folder aside). */
const localImportFiles = (dataDir: string): string[] => {
  const root = join(dataDir, IMPORT_DIR);
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
};

describe('customer imports with an S3-compatible bucket shared by two instances', () => {
  let s3: S3Simulator;
  let receiving: TestServer;
  let working: TestServer;

  beforeAll(async () => {
    s3 = await startS3Simulator({ bucket: 'scrm-files' });
    const storageEnv = s3StorageEnv(s3, 'weave');
    // One instance only answers requests; the other, with a data folder of its own, runs the jobs.
    receiving = await startTestServer({ env: { JOB_WORKER_ENABLED: 'false', ...storageEnv } });
    working = await startTestServer({ database: receiving.database, env: { ...receiving.env, JOB_WORKER_ENABLED: 'false', DATA_DIR: mkdtempSync(join(tmpdir(), 'scrm-import-worker-')) } });
  }, 180_000);
  afterAll(async () => {
    await working?.stop();
    await receiving?.stop();
    await s3?.stop();
  });

  it('imports a file uploaded to one instance on another, and deletes it from the bucket once imported', async () => {
    const admin = await receiving.login('admin');
    const rows = Array.from({ length: 30 }, (_, i) => [`桶客户${i}`, `136${String(i).padStart(8, '0')}`, 'SH01']);
    const uploaded = await uploadFile(receiving, admin, 'bucket.csv', csvOf([['姓名', '手机号', '门店编码'], ...rows]));
    expect(uploaded.status).toBe(200);
    const stored = await receiving.running.services.models.CustomerImport.findByPk(uploaded.body.data.id, { raw: true });
    expect(s3.keys()).toEqual([`weave/customer-imports/${stored?.file_path}`]);
    expect(localImportFiles(receiving.env.DATA_DIR!)).toEqual([]);

    await working.running.services.queue.drain();
    expect(await getImport(receiving, admin, uploaded.body.data.id)).toMatchObject({ status: 'done', processedRows: 30, createdCount: 30 });
    expect(await receiving.running.services.models.Customer.count({ where: { name: rows.map((r) => r[0]!) } })).toBe(30);
    expect(s3.keys()).toEqual([]);
    // The worker's copy of the file is gone too.
    expect(localImportFiles(working.env.DATA_DIR!)).toEqual([]);
  });

  it('fails the import, saying so, when its file is no longer in the bucket', async () => {
    const admin = await receiving.login('admin');
    const uploaded = await uploadFile(receiving, admin, 'lost.csv', csvOf([['姓名', '手机号', '门店编码'], ['丢失客户', '13600000999', 'SH01']]));
    expect(uploaded.status).toBe(200);
    const stored = await receiving.running.services.models.CustomerImport.findByPk(uploaded.body.data.id, { raw: true });
    await createBlobStorage(receiving.running.services.config, 'customer-imports').remove(String(stored?.file_path));
    expect(s3.keys()).toEqual([]);
    await working.running.services.queue.drain();
    expect(await getImport(receiving, admin, uploaded.body.data.id)).toMatchObject({ status: 'failed', error: 'the uploaded file is no longer stored; upload it again' });
  });
});
