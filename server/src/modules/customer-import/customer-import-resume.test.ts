import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../../testing/test-server';
import { IMPORT_DIR } from './customer-import.service';
import { csvOf, getImport, uploadFile } from './import-test-helpers';

const ROWS = 2600;

const customerRows = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => [`续传客户${from + i}`, `137${String(from + i).padStart(8, '0')}`, 'SH01', i % 7 === 0 ? '' : '有意向']);

describe('customer import after an interruption', () => {
  let server: TestServer;
  let admin: string;

  beforeAll(async () => {
    server = await startTestServer({ env: { JOB_WORKER_ENABLED: 'false' } });
    admin = await server.login('admin');
  });
  afterAll(() => server.stop());

  it('resumes from the last committed chunk and writes every row exactly once', async () => {
    const { models, queue, customerImports } = server.running.services;
    // Every 500th row is bad, so errors are resumed exactly once too.
    const rows = customerRows(0, ROWS).map((row, i) => (i % 500 === 499 ? [row[0] as string, 'bad-phone', 'SH01', ''] : row));
    const uploaded = await uploadFile(server, admin, 'resume.csv', csvOf([['姓名', '手机号', '门店编码', '阶段'], ...rows]));
    expect(uploaded.status).toBe(200);
    const id = uploaded.body.data.id;

    // The worker stops after two chunks of 500 rows, as if the process died there.
    expect(await customerImports.process(id, { chunkSize: 500, chunkLimit: 2 })).toBe('paused');
    const storedFile = async () => join(server.running.services.config.dataDir, IMPORT_DIR, String((await models.CustomerImport.findByPk(id, { raw: true }))?.file_path));
    expect(existsSync(await storedFile())).toBe(true);
    const halfway = await getImport(server, admin, id);
    expect(halfway).toMatchObject({ status: 'running', totalRows: ROWS, processedRows: 1000, createdCount: 998, failedCount: 2, progress: 38 });
    expect(await models.Customer.count({ where: { name: rows.slice(0, 1000).map((r) => r[0] as string) } })).toBe(998);

    // A second interrupted attempt with another chunk size carries on where the first stopped.
    expect(await customerImports.process(id, { chunkSize: 300, chunkLimit: 1 })).toBe('paused');
    expect((await getImport(server, admin, id)).processedRows).toBe(1300);

    // The queued job (the next claim after a crash) finishes the file.
    await queue.drain();
    const done = await getImport(server, admin, id);
    expect(done).toMatchObject({ status: 'done', totalRows: ROWS, processedRows: ROWS, createdCount: ROWS - 5, updatedCount: 0, unchangedCount: 0, failedCount: 5, progress: 100 });

    const names = rows.map((r) => r[0] as string);
    expect(await models.Customer.count({ where: { name: names } })).toBe(ROWS - 5);
    const [duplicates] = await server.running.services.db.sequelize.query(
      `SELECT phone_bidx, COUNT(*) AS n FROM customers WHERE phone_bidx IS NOT NULL GROUP BY store_id, phone_bidx HAVING COUNT(*) > 1`,
    );
    expect(duplicates).toEqual([]);
    expect(await models.CustomerImportError.count({ where: { import_id: id } })).toBe(5);
    expect(await models.CustomerTimeline.count({ where: { kind: 'customer.imported' } })).toBe(ROWS - 5);
    // Finished imports do not keep the file with its phone numbers.
    expect(existsSync(await storedFile())).toBe(false);
  });

  it('writes each row once when two runners hold the same import at the same time', async () => {
    const { models, customerImports } = server.running.services;
    const rows = customerRows(50000, 1200);
    const uploaded = await uploadFile(server, admin, 'twice.csv', csvOf([['姓名', '手机号', '门店编码', '阶段'], ...rows]));
    const id = uploaded.body.data.id;
    // As when a job's lease runs out while its worker is still busy and another claim starts it again.
    const outcomes = await Promise.all([customerImports.process(id, { chunkSize: 400 }), customerImports.process(id, { chunkSize: 400 })]);
    expect(outcomes.sort()).toEqual(['done', 'skipped']);
    expect(await getImport(server, admin, id)).toMatchObject({ status: 'done', processedRows: 1200, createdCount: 1200 });
    expect(await models.Customer.count({ where: { name: rows.map((r) => r[0] as string) } })).toBe(1200);
    const finished = await server.api<{ data: { items: unknown[] } }>('GET', `/api/audit-logs?action=customer.import_finished&targetId=${id}`, { token: admin });
    expect(finished.body.data.items).toHaveLength(1);
  });

  it('lets a rerun of a finished import do nothing', async () => {
    const { customerImports } = server.running.services;
    const uploaded = await uploadFile(server, admin, 'small.csv', csvOf([['姓名', '手机号', '门店编码'], ...customerRows(90000, 3).map((r) => [r[0] as string, r[1] as string, 'GZ01'])]));
    await server.running.services.queue.drain();
    expect(await customerImports.process(uploaded.body.data.id)).toBe('skipped');
    expect((await getImport(server, admin, uploaded.body.data.id)).createdCount).toBe(3);
  });
});
