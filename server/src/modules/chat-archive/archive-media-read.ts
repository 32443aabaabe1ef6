import type { Readable } from 'node:stream';
import type { Models } from '../../core/db/models';
import { readAll } from '../../core/storage/blob-storage';
import { AppError, conflict, notFound } from '../../core/errors';
import type { Actor } from '../access/actor';
import { scopedQuery } from '../access/scoped-query';
import type { AuditService } from '../audit/audit.service';
import type { ArchiveMediaStorage } from './archive-media';
import { archiveMessageScope, type ArchiveMessageRow } from './chat-archive.models';

export interface ArchivedFile {
  body: Buffer | Readable;
  size: number;
  contentType: string;
  fileName: string;
  /** Shown in the browser (images, voice, video) or only downloaded. */
  inline: boolean;
}

const byType: Record<string, { type: string; extension: string }> = {
  voice: { type: 'audio/amr', extension: 'amr' },
  video: { type: 'video/mp4', extension: 'mp4' },
  file: { type: 'application/octet-stream', extension: 'bin' },
};

/** Images and stickers by their first bytes (WeCom sends JPEG, PNG or GIF). */
function imageType(bytes: Buffer): { type: string; extension: string } {
  if (bytes.subarray(0, 4).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47]))) return { type: 'image/png', extension: 'png' };
  if (bytes.subarray(0, 3).toString('latin1') === 'GIF') return { type: 'image/gif', extension: 'gif' };
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return { type: 'image/jpeg', extension: 'jpg' };
  return { type: 'application/octet-stream', extension: 'bin' };
}

function fileNameOf(message: ArchiveMessageRow): string | null {
  try {
    const body = (JSON.parse(message.payload ?? '{}') as { file?: { filename?: unknown } }).file;
    return typeof body?.filename === 'string' && body.filename ? body.filename : null;
  } catch {
    return null;
  }
}

/**
 * Stored media of an archived message, within the reader's store scope (another store's message is
 * reported as missing), each read audited. Media fetched on demand (video, files) is queued for the
 * worker on first ask.
 */
export function createArchiveMediaReader(deps: { models: Models; audit: AuditService; storage: ArchiveMediaStorage }) {
  const { models, audit, storage } = deps;
  const messages = scopedQuery<ArchiveMessageRow>(models.ArchiveMessage, archiveMessageScope, 'archived message');

  return {
    async read(actor: Actor, messageId: number, item?: number): Promise<ArchivedFile> {
      const message = await messages.byId(actor, messageId);
      if (message.status !== 'stored') throw notFound('archived message', messageId);
      const key = item === undefined ? message.msgid : `${message.msgid}#${item}`;
      const media = await models.ArchiveMedia.findOne({ where: { msgid: key } });
      if (!media) throw notFound(`media of archived message ${messageId}`);
      if (media.status === 'lazy') await models.ArchiveMedia.update({ status: 'pending' }, { where: { id: media.id, status: 'lazy' } });
      if (media.status === 'lazy' || media.status === 'pending') throw conflict(`media of archived message ${messageId} is being fetched from WeCom; try again shortly`, { status: 'pending' });
      if (media.status !== 'stored' || !media.storage_key) throw new AppError('UNPROCESSABLE', `media of archived message ${messageId} is not available (${media.status})`, { status: media.status });
      const blob = await storage.open(media.storage_key);
      // Images (at most 20 MB) are read to tell their type by their first bytes; the rest is streamed.
      const isImage = media.msgtype === 'image' || media.msgtype === 'emotion';
      const body = isImage ? await readAll(blob) : blob.stream;
      const kind = isImage ? imageType(body as Buffer) : (byType[media.msgtype] ?? byType.file!);
      await audit.record({ action: 'archive.media_read', targetType: 'archive_message', targetId: messageId, storeId: message.store_id === null ? null : Number(message.store_id), after: { msgtype: media.msgtype, size: blob.size } });
      return { body, size: blob.size, contentType: kind.type, fileName: fileNameOf(message) ?? `${message.msgid.replace(/[^\w-]/g, '_')}.${kind.extension}`, inline: media.msgtype !== 'file' };
    },
  };
}

export type ArchiveMediaReader = ReturnType<typeof createArchiveMediaReader>;
