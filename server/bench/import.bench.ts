import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CustomerImportView } from '../src/modules/customer-import/customer-import.schemas';
import { fileBlob, getImport, uploadFile, writeCustomerCsv } from '../src/modules/customer-import/import-test-helpers';
import { startTestServer } from '../src/testing/test-server';

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 200_000);
const BAD_EVERY = 1000;

/**
 * Uploads a generated customer CSV (BENCH_IMPORT_ROWS rows, default 200,000; one in 1,000 with a bad
 * phone) over HTTP to a fresh server on the configured database and runs the import job, polling the
 * progress API once a second (printed to stderr). Reports time, throughput and peak memory.
 */
export async function benchImport(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'scrm-import-bench-'));
  const server = await startTestServer({ env: { JOB_WORKER_ENABLED: 'false', LOG_LEVEL: 'warn' } });
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 100);
  try {
    const file = join(dir, 'customers.csv');
    await writeCustomerCsv(file, ROWS, { storeCodes: ['SH01', 'HZ01', 'GZ01', 'SZ01'], badEvery: BAD_EVERY });
    const admin = await server.login('admin');
    const baseRss = process.memoryUsage().rss;
    const started = Date.now();
    const uploaded = await uploadFile(server, admin, 'customers.csv', await fileBlob(file));
    if (uploaded.status !== 200) throw new Error(`upload failed: ${uploaded.status} ${JSON.stringify(uploaded.body)}`);
    const id = uploaded.body.data.id;
    const uploadSeconds = (Date.now() - started) / 1000;

    let last: CustomerImportView | null = null;
    let polling = true;
    const poll = (async () => {
      while (polling) {
        last = await getImport(server, admin, id);
        process.stderr.write(`import ${id}: ${last.status} ${last.processedRows}/${last.totalRows ?? '?'} (${last.progress}%)\n`);
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    })();
    await server.running.services.queue.drain();
    polling = false;
    await poll;
    const done = await getImport(server, admin, id);
    const seconds = (Date.now() - started) / 1000;
    if (done.status !== 'done') throw new Error(`import ended as ${done.status}: ${done.error}`);
    return {
      rows: ROWS,
      file_mb: Math.round(statSync(file).size / 1024 / 1024),
      dialect: server.running.services.db.dialect,
      seconds: Math.round(seconds * 10) / 10,
      upload_seconds: Math.round(uploadSeconds * 10) / 10,
      rows_per_second: Math.round(ROWS / seconds),
      created: done.createdCount,
      failed: done.failedCount,
      peak_rss_mb: Math.round(peakRss / 1024 / 1024),
      rss_growth_mb: Math.round((peakRss - baseRss) / 1024 / 1024),
    };
  } finally {
    clearInterval(sampler);
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
