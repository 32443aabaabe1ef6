import type { IncomingMessage } from 'node:http';
import busboy from 'busboy';
import { fail } from './api-error';
import { type ApiFactory, scopes } from './api-registry';
import type { MediaRecord } from './media.state';

/** Upload limits per type (DOC 96484): every file > 5 bytes. */
export const mediaLimits: Record<MediaRecord['type'], { maxBytes: number; extensions?: readonly string[] }> = {
  image: { maxBytes: 10 * 1024 * 1024, extensions: ['jpg', 'jpeg', 'png'] },
  voice: { maxBytes: 2 * 1024 * 1024, extensions: ['amr'] },
  video: { maxBytes: 10 * 1024 * 1024, extensions: ['mp4'] },
  file: { maxBytes: 20 * 1024 * 1024 },
};
const MIN_BYTES = 6;

interface Upload {
  filename: string;
  contentType: string;
  size: number;
  truncated: boolean;
}

/** Reads the multipart field "media", counting bytes but keeping none (the sandbox stores metadata only). */
function readUpload(req: IncomingMessage, maxBytes: number): Promise<Upload | undefined> {
  return new Promise((resolve, reject) => {
    let upload: Upload | undefined;
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { fileSize: maxBytes, files: 1 } });
    } catch {
      reject(new Error('not multipart/form-data'));
      return;
    }
    parser.on('file', (name, stream, info) => {
      if (name !== 'media') {
        stream.resume();
        return;
      }
      const current: Upload = { filename: info.filename ?? '', contentType: info.mimeType, size: 0, truncated: false };
      upload = current;
      stream.on('data', (chunk: Buffer) => {
        current.size += chunk.length;
      });
      stream.on('limit', () => {
        current.truncated = true;
      });
    });
    parser.on('error', reject);
    parser.on('close', () => resolve(upload));
    req.pipe(parser);
  });
}

/** media/upload?type=image|voice|video|file (multipart field "media"). */
export const mediaApis: ApiFactory = ({ state }) => [
  {
    path: 'media/upload',
    method: 'POST',
    apps: scopes.any,
    multipart: true,
    async handle({ query, raw }) {
      const type = query.type as MediaRecord['type'];
      const limit = mediaLimits[type] ?? fail('INVALID_MEDIA_TYPE', `type must be image, voice, video or file, not ${query.type}`);
      const upload = await readUpload(raw, limit.maxBytes).catch(() => fail('INVALID_PARAMETER', 'body must be multipart/form-data'));
      if (!upload) return fail('INVALID_PARAMETER', 'multipart field "media" is missing');
      if (upload.truncated || upload.size > limit.maxBytes) fail('INVALID_FILE_SIZE', `${type} files are at most ${limit.maxBytes} bytes`);
      if (upload.size < MIN_BYTES) fail('INVALID_FILE_SIZE', 'files must be larger than 5 bytes');
      const ext = upload.filename.split('.').pop()?.toLowerCase() ?? '';
      if (limit.extensions && !limit.extensions.includes(ext)) fail('INVALID_FILE_TYPE', `${type} must be ${limit.extensions.join('/')}`);
      const record = state.media.add({ type, filename: upload.filename, size: upload.size, contentType: upload.contentType });
      return { errcode: 0, errmsg: '', type, media_id: record.mediaId, created_at: String(Math.floor(record.createdAt / 1000)) };
    },
  },
];
