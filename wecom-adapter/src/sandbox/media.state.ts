import { randomBytes } from 'node:crypto';

/** Uploaded temporary media: metadata only, valid 3 days. */
export interface MediaRecord {
  mediaId: string;
  type: 'image' | 'voice' | 'video' | 'file';
  filename: string;
  size: number;
  contentType: string;
  createdAt: number;
  expiresAt: number;
}

export function createMediaState(clock: () => number) {
  const media = new Map<string, MediaRecord>();
  return {
    media,
    add(record: Omit<MediaRecord, 'mediaId' | 'createdAt' | 'expiresAt'>): MediaRecord {
      const now = clock();
      const created: MediaRecord = { ...record, mediaId: `3${randomBytes(30).toString('base64url')}`, createdAt: now, expiresAt: now + 3 * 86400_000 };
      media.set(created.mediaId, created);
      return created;
    },
    /** A media_id that still exists (3 days). */
    live(mediaId: string) {
      const record = media.get(mediaId);
      return record && record.expiresAt > clock() ? record : undefined;
    },
  };
}

export type MediaState = ReturnType<typeof createMediaState>;
