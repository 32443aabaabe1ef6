import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../../testing/test-server';
import type { CustomerImportView } from './customer-import.schemas';
import { fileBlob, getImport, uploadFile, writeCustomerCsv } from './import-test-helpers';

/** The 200,000-row run is `npm run bench -- import`; this keeps the same path fast enough for every test run. */
const ROWS = Number(process.env.IMPORT_VOLUME_ROWS ?? 10_000);

describe('customer import of a large file', () => {
  let server: TestServer;
  const dir = mkdtempSync(join(tmpdir(), 'scrm-import-volume-'));

  beforeAll(async () => {
    server = await startTestServer({ env: { JOB_WORKER_ENABLED: 'false' } });
  });
  afterAll(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`imports ${ROWS} csv rows with visible progress and bounded memory`, async () => {
    const admin = await server.login('admin');
    const file = join(dir, 'customers.csv');
    await writeCustomerCsv(file, ROWS, { storeCodes: ['SH01', 'HZ01', 'GZ01', 'SZ01'], badEvery: 1000, phonePrefix: '136' });
    const uploaded = await uploadFile(server, admin, 'customers.csv', await fileBlob(file));
    expect(uploaded.status).toBe(200);
    const id = uploaded.body.data.id;

    const heapBefore = process.memoryUsage().heapUsed;
    let heapPeak = heapBefore;
    const samples: CustomerImportView[] = [];
    let running = true;
    // What the console's progress bar sees while the job runs.
    const polling = (async () => {
      while (running) {
        samples.push(await getImport(server, admin, id));
        heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const started = Date.now();
    await server.running.services.queue.drain();
    running = false;
    await polling;
    const seconds = (Date.now() - started) / 1000;

    const done = await getImport(server, admin, id);
    expect(done).toMatchObject({ status: 'done', totalRows: ROWS, processedRows: ROWS, createdCount: ROWS - ROWS / 1000, failedCount: ROWS / 1000, progress: 100 });
    const midway = samples.filter((s) => s.status === 'running' && s.processedRows > 0 && s.processedRows < ROWS);
    expect(midway.length).toBeGreaterThan(0);
    const processed = samples.map((s) => s.processedRows);
    expect(processed).toEqual([...processed].sort((a, b) => a - b));
    // Streaming: the file is never held in memory, whatever its size.
    expect((heapPeak - heapBefore) / 1024 / 1024).toBeLessThan(200);
    expect(await server.running.services.models.Customer.count({ where: { store_id: null } })).toBe(0);
    process.stdout.write(`imported ${ROWS} rows in ${seconds.toFixed(1)} s\n`);
  });
});
