import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadFinanceSdk, type FinanceSdk } from '@scrm/wecom-adapter/src/finance/finance-sdk';
import { startTestServer, type TestServer } from '../../testing/test-server';
import { createLogger } from '../../core/logger';
import { createArchiveIngest } from './archive-ingest';
import { createLocalDiskStorage } from '../../core/storage/local-disk-storage';
import { createMediaFetcher, MEDIA_ATTEMPTS } from './archive-media';
import { createRsaPool, type RsaPool } from './archive-rsa-pool';
import { archiveFixture, archiveKeyPair } from './archive-test-kit';

const key = archiveKeyPair(1);
let counter = 0;
const mediaMessage = (msgtype: string, body: Record<string, unknown>) => ({ msgid: `media-${++counter}`, action: 'send', from: 'zhangsan', tolist: ['wmMedia'], roomid: '', msgtime: 1_700_000_000_000 + counter, msgtype, [msgtype]: body });

describe('archive media', () => {
  let server: TestServer;
  let sdk: FinanceSdk;
  let rsa: RsaPool;

  beforeAll(async () => {
    server = await startTestServer();
    await server.running.services.chatArchive.keys.put(1, key.privateKeyPem);
  }, 120_000);

  afterAll(async () => {
    sdk?.destroy();
    await rsa?.close();
    await server?.stop();
  });

  it('downloads eager media in 512 KB chunks, stores only bytes whose md5 matches, keeps lazy and oversized media unfetched', async () => {
    const { sdkPath, fixture } = archiveFixture();
    sdk = loadFinanceSdk(sdkPath, { corpId: 'wwmedia', secret: 'archive-secret' });
    rsa = createRsaPool({ threads: 1 });
    const { models, db, chatArchive } = server.running.services;
    const log = createLogger('silent');
    const ingest = createArchiveIngest({ db, models, keys: chatArchive.keys, sdk, rsa, corpId: 'wwmedia', log });

    const photo = randomBytes(1_200_000);
    const photoMd5 = fixture.writeMedia('photo-1', photo);
    const voice = randomBytes(4000);
    fixture.writeMedia('voice-1', voice);
    const clip = randomBytes(1000);
    const clipMd5 = fixture.writeMedia('clip-1', clip);
    const messages = [
      mediaMessage('image', { md5sum: photoMd5, filesize: photo.length, sdkfileid: 'photo-1' }),
      // WeCom's md5 says otherwise: the bytes are damaged on every download.
      mediaMessage('voice', { md5sum: '0'.repeat(32), voice_size: voice.length, play_length: 2, sdkfileid: 'voice-1' }),
      mediaMessage('video', { md5sum: clipMd5, filesize: clip.length, play_length: 1, sdkfileid: 'clip-1' }),
      mediaMessage('image', { md5sum: photoMd5, filesize: 30 * 1024 * 1024, sdkfileid: 'photo-1' }),
    ];
    fixture.append(messages.map((message) => ({ message, key })));
    expect((await ingest.runOnce()).stored).toBe(4);

    const calls: string[] = [];
    const counted: Pick<FinanceSdk, 'getMediaChunk'> = { getMediaChunk: (id, index) => (calls.push(`${id}@${index}`), sdk.getMediaChunk(id, index)) };
    const storage = createLocalDiskStorage(mkdtempSync(join(tmpdir(), 'archive-media-')));
    const fetched = await createMediaFetcher({ models, sdk: counted, storage, log }).fetchPending();
    expect(fetched).toEqual({ stored: 1, failed: 1 });

    const rows = new Map((await models.ArchiveMedia.findAll({ raw: true })).map((row) => [row.msgid, row]));
    const stored = rows.get(messages[0]!.msgid)!;
    expect(stored).toMatchObject({ status: 'stored', size: photo.length, attempts: 1 });
    expect((await storage.read(stored.storage_key!)).equals(photo)).toBe(true);
    // 1,200,000 bytes: two full 512 KB chunks and the rest.
    expect(calls.filter((call) => call.startsWith('photo-1@'))).toEqual(['photo-1@', 'photo-1@524288', 'photo-1@1048576']);

    expect(rows.get(messages[1]!.msgid)).toMatchObject({ status: 'failed', attempts: MEDIA_ATTEMPTS, storage_key: null, error: 'md5 mismatch' });
    expect(calls.filter((call) => call.startsWith('voice-1@'))).toHaveLength(MEDIA_ATTEMPTS);
    expect(rows.get(messages[2]!.msgid)).toMatchObject({ status: 'lazy', storage_key: null });
    expect(rows.get(messages[3]!.msgid)).toMatchObject({ status: 'too_large', storage_key: null });
    expect(calls.some((call) => call.startsWith('clip-1@'))).toBe(false);

    // Nothing left to fetch: a second pass downloads nothing.
    expect(await createMediaFetcher({ models, sdk: counted, storage, log }).fetchPending()).toEqual({ stored: 0, failed: 0 });
  }, 120_000);
});
