import { createHash, randomBytes } from 'node:crypto';
import { startTestServer, type TestServer } from '../../testing/test-server';
import { storeBatch, type PulledMessage } from './archive-batch-store';

const corpId = 'wwmediaroute';
let seq = 0;
const media = (msgtype: string, to: string, body: Record<string, unknown>): PulledMessage => ({
  kind: 'decrypted',
  seq: ++seq,
  publickeyVer: 1,
  message: { msgid: `mr-${seq}`, action: 'send', from: 'zhangsan', tolist: [to], roomid: '', msgtime: Date.UTC(2026, 10, 20, 3, seq), msgtype, [msgtype]: { sdkfileid: `file-${seq}`, ...body } },
});
const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest('hex');

describe('GET /api/chat-archive/messages/:id/media', () => {
  let server: TestServer;
  let admin: string;
  const ids = new Map<string, number>();
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(3000)]);
  const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(2000)]);

  const get = (id: number, token: string) => fetch(`${server.baseUrl}/api/chat-archive/messages/${id}/media`, { headers: { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    server = await startTestServer();
    admin = await server.login('admin', server.adminPassword);
    const { db, models, chatArchive } = server.running.services;
    const customerOf = async (code: string) => {
      const storeId = Number((await models.Store.findOne({ where: { code }, raw: true }))?.id);
      return Number((await models.Customer.findOne({ where: { store_id: storeId }, order: [['id', 'ASC']], raw: true }))?.id);
    };
    await models.Customer.update({ external_userid: 'wmMediaSh' }, { where: { id: await customerOf('SH01') } });
    await models.Customer.update({ external_userid: 'wmMediaHz' }, { where: { id: await customerOf('HZ01') } });
    await models.ArchiveCursor.create({ corp_id: corpId, last_seq: 0 });
    const pulled = {
      image: media('image', 'wmMediaSh', { md5sum: md5(png), filesize: png.length }),
      file: media('file', 'wmMediaSh', { md5sum: md5(pdf), filesize: pdf.length, filename: '报价单.pdf', fileext: 'pdf' }),
      video: media('video', 'wmMediaSh', { md5sum: '0'.repeat(32), filesize: 1000, play_length: 3 }),
      hzImage: media('image', 'wmMediaHz', { md5sum: md5(png), filesize: png.length }),
    };
    await storeBatch(db, models, { corpId, fromSeq: 0, toSeq: seq, pulled: Object.values(pulled) });
    // What the worker does once it has downloaded and checked the bytes.
    for (const [name, item, bytes] of [['image', pulled.image, png], ['file', pulled.file, pdf], ['hzImage', pulled.hzImage, png]] as const) {
      const msgid = item.kind === 'decrypted' ? item.message.msgid : '';
      await models.ArchiveMedia.update({ status: 'stored', storage_key: await chatArchive.mediaStorage.putBytes(bytes, { extension: 'bin' }), size: bytes.length }, { where: { msgid } });
      ids.set(name, Number((await models.ArchiveMessage.findOne({ where: { msgid }, raw: true }))?.id));
    }
    const videoMsgid = pulled.video.kind === 'decrypted' ? pulled.video.message.msgid : '';
    ids.set('video', Number((await models.ArchiveMessage.findOne({ where: { msgid: videoMsgid }, raw: true }))?.id));
  }, 60_000);
  afterAll(() => server?.stop());

  it('streams an image with its content type and the exact bytes, and audits the read', async () => {
    const reply = await get(ids.get('image')!, admin);
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toBe('image/png');
    expect(reply.headers.get('content-disposition')).toMatch(/^inline/);
    const bytes = Buffer.from(await reply.arrayBuffer());
    expect(md5(bytes)).toBe(md5(png));
    const audit = await server.running.services.models.AuditLog.findOne({ where: { action: 'archive.media_read', target_id: String(ids.get('image')) }, raw: true });
    expect(JSON.parse(String(audit?.diff))).toMatchObject({ after: { msgtype: 'image', size: png.length } });
  });

  it('offers a file as a download under its own name', async () => {
    const reply = await get(ids.get('file')!, admin);
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent('报价单.pdf')}`);
    expect(reply.headers.get('content-disposition')).toMatch(/^attachment/);
    expect(md5(Buffer.from(await reply.arrayBuffer()))).toBe(md5(pdf));
  });

  it("reports another store's message as missing, refuses users without archive access, and 404s unknown ids", async () => {
    const manager = await server.login('manager_sh01', server.demoPassword);
    expect((await get(ids.get('image')!, manager)).status).toBe(200);
    expect((await get(ids.get('hzImage')!, manager)).status).toBe(404);
    const staff = await server.login('staff_sh01', server.demoPassword);
    expect((await get(ids.get('image')!, staff)).status).toBe(403);
    expect((await get(999_999, admin)).status).toBe(404);
    expect((await server.api('GET', '/api/chat-archive/messages/abc/media', { token: admin })).status).toBe(400);
  });

  it('asks the worker for media fetched on demand and says so (409) until it is stored', async () => {
    const { models } = server.running.services;
    const reply = await get(ids.get('video')!, admin);
    expect(reply.status).toBe(409);
    expect(((await reply.json()) as { message: string }).message).toContain('being fetched');
    const row = await models.ArchiveMedia.findOne({ where: { msgtype: 'video' }, raw: true });
    expect(row?.status).toBe('pending');
  });
});
