import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalDiskStorage } from '../../core/storage/local-disk-storage';
import { createImportFileStore } from './import-file-store';

describe('import file store on the local disk', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'scrm-import-files-'));
  const files = createImportFileStore({ storage: createLocalDiskStorage(join(dataDir, 'customer-imports')), dataDir, folder: 'customer-imports' });

  it('keeps an upload under DATA_DIR/customer-imports and reads it in place, without a copy', async () => {
    const temp = join(dataDir, 'upload.tmp');
    writeFileSync(temp, '姓名,手机号\n张三,13800000000\n');
    const key = await files.put(temp, 'csv');
    expect(existsSync(temp)).toBe(false);
    const file = await files.checkout(key, '1.csv');
    expect(file.path).toBe(join(dataDir, 'customer-imports', key));
    expect(readFileSync(file.path, 'utf8')).toContain('张三');
    await file.release();
    expect(existsSync(file.path)).toBe(true);
    await files.remove(key);
    expect(existsSync(file.path)).toBe(false);
  });

  it('still finds the file of an import queued before uploads went to the storage', async () => {
    mkdirSync(join(dataDir, 'customer-imports'), { recursive: true });
    writeFileSync(join(dataDir, 'customer-imports', '12-0123456789ab.csv'), '姓名\n李四\n');
    const file = await files.checkout('customer-imports/12-0123456789ab.csv', '12.csv');
    expect(readFileSync(file.path, 'utf8')).toContain('李四');
    await files.remove('customer-imports/12-0123456789ab.csv');
    expect(existsSync(file.path)).toBe(false);
  });

  it('says the file is gone when it is', async () => {
    await expect(files.checkout('2026/11/missing.csv', '13.csv')).rejects.toThrow('the uploaded file is no longer stored; upload it again');
  });
});
