import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createS3Storage } from '../../core/storage/s3-storage';
import { s3StorageEnv, startS3Simulator, type S3Simulator } from '../../testing/s3-simulator';
import { startTestServer, type TestServer } from '../../testing/test-server';
import { createOrder, oneTaskFlow, publishFlow, storeIdOf } from './work-order-test-kit';

/** Folders under DATA_DIR/uploads other than the multipart landing folder: where the local driver would have put files. */
const localUploads = (dataDir: string) => (existsSync(join(dataDir, 'uploads')) ? readdirSync(join(dataDir, 'uploads')).filter((name) => name !== 'incoming') : []);

describe('work-order attachments in an S3-compatible bucket shared by two instances', () => {
  let s3: S3Simulator;
  let first: TestServer;
  let second: TestServer;
  let tech: string;
  let orderId: number;
  const photo = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from(Array.from({ length: 4000 }, (_, i) => i % 251))]);

  const uploadTo = async (server: TestServer, bytes: Buffer) => {
    const form = new FormData();
    form.append('kind', 'photo');
    form.append('file', new Blob([bytes], { type: 'image/png' }), '门锁.png');
    const response = await fetch(`${server.baseUrl}/api/work-orders/${orderId}/attachments`, { method: 'POST', headers: { authorization: `Bearer ${tech}` }, body: form });
    return { status: response.status, body: (await response.json()) as { data?: { id: number; size: number }; message?: string } };
  };
  const attachmentCount = () => first.running.services.models.WorkOrderAttachment.count({ where: { work_order_id: orderId } });

  // Two instances migrating and seeding on MariaDB take a while on a busy machine.
  beforeAll(async () => {
    s3 = await startS3Simulator({ bucket: 'scrm-files' });
    const storageEnv = s3StorageEnv(s3, 'weave');
    first = await startTestServer({ env: { JOB_WORKER_ENABLED: 'false', ...storageEnv } });
    // Another instance on the same database, with a data folder of its own: only the bucket is shared.
    second = await startTestServer({ database: first.database, env: { ...first.env, DATA_DIR: mkdtempSync(join(tmpdir(), 'scrm-second-')) } });
    const admin = await first.login('admin');
    await publishFlow(first, admin, 'wo_s3', oneTaskFlow({ assignee: { strategy: 'role', roleCode: 'technician' } }));
    const order = await createOrder(first, await first.login('staff_sh01'), { flowCode: 'wo_s3', storeId: await storeIdOf(first, 'SH01') });
    orderId = order.id;
    tech = await first.login('tech_sh01');
  }, 180_000);
  afterAll(async () => {
    await second?.stop();
    await first?.stop();
    await s3?.stop();
  });

  it('stores an upload to one instance in the bucket and serves it, byte for byte, from the other', async () => {
    const uploaded = await uploadTo(first, photo);
    expect(uploaded.status).toBe(200);
    expect(uploaded.body.data?.size).toBe(photo.length);
    const [objectKey] = s3.keys().filter((key) => key.includes(`/${orderId}/`));
    expect(objectKey).toMatch(new RegExp(`^weave/uploads/\\d{4}/\\d{2}/${orderId}/[0-9a-f]{24}\\.png$`));
    expect(localUploads(first.env.DATA_DIR!)).toEqual([]);

    const download = await fetch(`${second.baseUrl}/api/work-orders/${orderId}/attachments/${uploaded.body.data?.id}`, { headers: { authorization: `Bearer ${tech}` } });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('image/png');
    expect(Number(download.headers.get('content-length'))).toBe(photo.length);
    expect(Buffer.from(await download.arrayBuffer()).equals(photo)).toBe(true);
  });

  it('answers 404 naming the stored file when its object is gone from the bucket', async () => {
    const uploaded = await uploadTo(second, Buffer.concat([photo, Buffer.from('second')]));
    expect(uploaded.status).toBe(200);
    const row = await first.running.services.models.WorkOrderAttachment.findByPk(uploaded.body.data!.id, { raw: true });
    const bucket = createS3Storage({ endpoint: s3.endpoint, region: s3.region, bucket: s3.bucket, prefix: 'weave/uploads/', forcePathStyle: true, credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey } });
    await bucket.remove(row!.storage_key);
    const reply = await first.api('GET', `/api/work-orders/${orderId}/attachments/${row!.id}`, { token: tech });
    expect(reply.status).toBe(404);
    expect(reply.body.message).toBe(`stored file ${row!.storage_key} not found`);
  });

  it('refuses an upload the bucket refuses (wrong secret) with a 500 that leaks nothing, and records no attachment', async () => {
    const wrongSecret = 'wrong-secret-0123456789abcdefghijklmnopq';
    const misconfigured = await startTestServer({ database: first.database, env: { ...first.env, S3_SECRET_ACCESS_KEY: wrongSecret } });
    try {
      const before = await attachmentCount();
      const keysBefore = s3.keys();
      const uploaded = await uploadTo(misconfigured, photo);
      expect(uploaded.status).toBe(500);
      expect(JSON.stringify(uploaded.body)).not.toMatch(/S3|secret|wrong-secret/i);
      expect(await attachmentCount()).toBe(before);
      expect(s3.keys()).toEqual(keysBefore);
    } finally {
      await misconfigured.stop();
    }
  }, 120_000);
});
