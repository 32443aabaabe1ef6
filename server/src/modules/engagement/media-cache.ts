import { createHash } from 'node:crypto';
import type { Attachment, MediaType, WecomClient } from '@scrm/wecom-adapter';
import { Op } from 'sequelize';
import type { Models } from '../../core/db/models';
import type { WelcomeAttachment, WelcomeMessage } from './contact-ways/contact-way.schemas';

/** WeCom keeps a media_id 3 days; we stop using one a day early so a send never races its expiry. */
const MEDIA_TTL_MS = 3 * 86_400_000;
const SAFETY_MS = 86_400_000;

const contentTypes: Record<string, string> = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', pdf: 'application/pdf' };
const contentTypeOf = (fileName: string) => contentTypes[fileName.split('.').pop()?.toLowerCase() ?? ''] ?? 'application/octet-stream';

/**
 * Uploaded media ids (media/upload), cached by content so the same flyer is uploaded once per
 * validity period. Preparing a welcome message ahead of time keeps uploads out of the 20-second window.
 */
export function createMediaCache(deps: { models: Models; now?: () => Date }) {
  const { models } = deps;
  const now = deps.now ?? (() => new Date());

  async function mediaId(client: WecomClient, type: MediaType, fileName: string, dataBase64: string): Promise<string> {
    const key = createHash('sha256').update(type).update('\0').update(dataBase64).digest('hex');
    const cached = await models.EngagementMedia.findOne({ where: { content_key: key, expires_at: { [Op.gt]: new Date(now().getTime() + SAFETY_MS) } }, raw: true });
    if (cached) return cached.media_id;
    const uploaded = await client.media.upload({ type, filename: fileName, data: Buffer.from(dataBase64, 'base64'), contentType: contentTypeOf(fileName) });
    const createdAt = now();
    const row = { content_key: key, media_type: type, media_id: uploaded.media_id, expires_at: new Date(createdAt.getTime() + MEDIA_TTL_MS), created_at: createdAt };
    await models.EngagementMedia.destroy({ where: { content_key: key } });
    await models.EngagementMedia.bulkCreate([row], { ignoreDuplicates: true });
    return uploaded.media_id;
  }

  async function attachment(client: WecomClient, a: WelcomeAttachment): Promise<Attachment> {
    switch (a.type) {
      case 'image':
        return { msgtype: 'image', image: { media_id: await mediaId(client, 'image', a.fileName, a.dataBase64) } };
      case 'file':
        return { msgtype: 'file', file: { media_id: await mediaId(client, 'file', a.fileName, a.dataBase64) } };
      case 'miniprogram':
        return { msgtype: 'miniprogram', miniprogram: { title: a.title, appid: a.appid, page: a.page, pic_media_id: await mediaId(client, 'image', a.fileName, a.dataBase64) } };
      case 'link':
        return { msgtype: 'link', link: { title: a.title, url: a.url, ...(a.picUrl && { picurl: a.picUrl }), ...(a.desc && { desc: a.desc }) } };
    }
  }

  return {
    /** The message in WeCom's terms, uploading (or reusing) its media. */
    async prepare(client: WecomClient, message: WelcomeMessage): Promise<{ text?: { content: string }; attachments: Attachment[] }> {
      const attachments: Attachment[] = [];
      for (const a of message.attachments) attachments.push(await attachment(client, a));
      return { ...(message.text?.trim() && { text: { content: message.text } }), attachments };
    },
  };
}

export type MediaCache = ReturnType<typeof createMediaCache>;
