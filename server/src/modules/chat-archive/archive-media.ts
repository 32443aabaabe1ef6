import { createHash } from 'node:crypto';
import type { Transaction } from 'sequelize';
import type { FinanceSdk } from '@scrm/wecom-adapter/src/finance/finance-sdk';
import type { Models } from '../../core/db/models';
import type { Logger } from '../../core/logger';
import type { BlobStorage } from '../../core/storage/blob-storage';
import type { ArchivedMessage } from './archive-message';
import type { ArchiveMediaStatus } from './chat-archive.models';

/** Per message type: fetched right after the message is stored (eager) or when someone asks (lazy), and the largest size kept. */
export const mediaPolicy: Record<string, { mode: 'eager' | 'lazy'; maxBytes: number; extension: string }> = {
  image: { mode: 'eager', maxBytes: 20 * 1024 * 1024, extension: 'jpg' },
  voice: { mode: 'eager', maxBytes: 5 * 1024 * 1024, extension: 'amr' },
  emotion: { mode: 'eager', maxBytes: 5 * 1024 * 1024, extension: 'gif' },
  video: { mode: 'lazy', maxBytes: 200 * 1024 * 1024, extension: 'mp4' },
  file: { mode: 'lazy', maxBytes: 100 * 1024 * 1024, extension: 'bin' },
};

/** Downloads tried per media before it is marked failed (an md5 mismatch is retried: chunks may arrive damaged). */
export const MEDIA_ATTEMPTS = 3;

/** Where media bytes live (`<yyyy>/<mm>/<random>.<ext>` keys); the database keeps only the key. */
export type ArchiveMediaStorage = BlobStorage;

interface MediaRef {
  msgid: string;
  sdkfileid: string;
  msgtype: string;
  md5: string | null;
  size: number | null;
}

/** The media a message carries: its own body, or each media item of a mixed message (keyed `msgid#n`). */
export function mediaOf(message: ArchivedMessage): MediaRef[] {
  const ref = (msgid: string, msgtype: string, body: Record<string, unknown>): MediaRef[] =>
    typeof body.sdkfileid === 'string' && body.sdkfileid
      ? [{ msgid, sdkfileid: body.sdkfileid, msgtype, md5: typeof body.md5sum === 'string' ? body.md5sum : null, size: Number(body.filesize ?? body.voice_size ?? body.imagesize ?? 0) || null }]
      : [];
  const type = message.msgtype ?? '';
  const body = (message[type] ?? {}) as Record<string, unknown>;
  if (type !== 'mixed') return mediaPolicy[type] ? ref(message.msgid, type, body) : [];
  const items = Array.isArray(body.item) ? (body.item as Array<{ type?: string; content?: string }>) : [];
  return items.flatMap((item, i) => {
    if (!item.type || !mediaPolicy[item.type]) return [];
    try {
      return ref(`${message.msgid}#${i}`, item.type, JSON.parse(item.content ?? '{}') as Record<string, unknown>);
    } catch {
      return [];
    }
  });
}

/** Records the media of freshly stored messages, in the batch's transaction. */
export async function recordMedia(models: Models, messages: ArchivedMessage[], tx: Transaction): Promise<void> {
  const rows = messages.flatMap(mediaOf).map((ref) => {
    const policy = mediaPolicy[ref.msgtype]!;
    const status: ArchiveMediaStatus = ref.size !== null && ref.size > policy.maxBytes ? 'too_large' : policy.mode === 'eager' ? 'pending' : 'lazy';
    return { ...ref, status };
  });
  if (rows.length) await models.ArchiveMedia.bulkCreate(rows, { transaction: tx, ignoreDuplicates: true });
}

class MediaRejected extends Error {
  constructor(
    readonly status: 'too_large' | 'failed',
    message: string,
  ) {
    super(message);
  }
}

/** GetMediaData chunk after chunk (512 KB each), refusing more than `maxBytes`, checked against the md5 WeCom reported. */
export function downloadMedia(sdk: Pick<FinanceSdk, 'getMediaChunk'>, ref: { sdkfileid: string; md5: string | null }, maxBytes: number): Buffer {
  const chunks: Buffer[] = [];
  let size = 0;
  let index = '';
  for (;;) {
    const chunk = sdk.getMediaChunk(ref.sdkfileid, index);
    size += chunk.data.length;
    if (size > maxBytes) throw new MediaRejected('too_large', `larger than ${maxBytes} bytes`);
    chunks.push(chunk.data);
    if (chunk.finished) break;
    if (!chunk.data.length || chunk.nextIndex === index) throw new MediaRejected('failed', 'GetMediaData made no progress');
    index = chunk.nextIndex;
  }
  const bytes = Buffer.concat(chunks);
  if (ref.md5 && createHash('md5').update(bytes).digest('hex') !== ref.md5.toLowerCase()) throw new MediaRejected('failed', 'md5 mismatch');
  return bytes;
}

/**
 * The worker's media fetcher: downloads pending media (eager types, and lazy ones someone asked for),
 * retrying a failed download up to MEDIA_ATTEMPTS times; only bytes whose md5 matches are stored.
 */
export function createMediaFetcher(deps: { models: Models; sdk: Pick<FinanceSdk, 'getMediaChunk'>; storage: ArchiveMediaStorage; log: Logger }) {
  const { models, sdk, storage, log } = deps;
  return {
    async fetchPending(limit = 50): Promise<{ stored: number; failed: number }> {
      const rows = await models.ArchiveMedia.findAll({ where: { status: 'pending' }, order: [['id', 'ASC']], limit });
      let stored = 0;
      let failed = 0;
      for (const row of rows) {
        const policy = mediaPolicy[row.msgtype] ?? { maxBytes: 0, extension: 'bin' };
        let attempts = Number(row.attempts);
        let outcome: { status: ArchiveMediaStatus; storage_key?: string; size?: number; error?: string | null } | null = null;
        while (!outcome && attempts < MEDIA_ATTEMPTS) {
          attempts++;
          try {
            const bytes = downloadMedia(sdk, row, policy.maxBytes);
            outcome = { status: 'stored', storage_key: await storage.putBytes(bytes, { extension: policy.extension }), size: bytes.length, error: null };
          } catch (error) {
            const message = (error instanceof Error ? error.message : String(error)).slice(0, 255);
            if (error instanceof MediaRejected && error.status === 'too_large') outcome = { status: 'too_large', error: message };
            else if (attempts >= MEDIA_ATTEMPTS) outcome = { status: 'failed', error: message };
            else log.warn({ msgid: row.msgid, attempt: attempts, err: message }, 'archive media download failed: retrying');
          }
        }
        await row.update({ ...outcome!, attempts });
        if (outcome?.status === 'stored') stored++;
        else failed++;
      }
      return { stored, failed };
    },
  };
}
