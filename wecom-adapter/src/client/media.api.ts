import { type WecomCall } from './request-runner';

export type MediaType = 'image' | 'voice' | 'video' | 'file';

export interface UploadMediaRequest {
  type: MediaType;
  filename: string;
  data: Uint8Array | Blob;
  /** Defaults to `application/octet-stream` (ignored when `data` is a typed Blob). */
  contentType?: string;
}

export interface UploadMediaResponse {
  type: MediaType;
  /** Valid for 3 days. */
  media_id: string;
  /** WeCom sends a string of epoch seconds. */
  created_at: string;
}

/** media/upload uses the agent app's token; multipart field `media` with a filename (DOC 96484). */
export function createMediaApi(call: WecomCall) {
  return {
    async upload(req: UploadMediaRequest) {
      const blob =
        req.data instanceof Blob && !req.contentType
          ? req.data
          : new Blob([req.data], { type: req.contentType ?? 'application/octet-stream' });
      const form = () => {
        const fd = new FormData();
        fd.append('media', blob, req.filename);
        return fd;
      };
      const res = await call<UploadMediaResponse>({ app: 'agent', api: 'media/upload', method: 'POST', query: { type: req.type }, form });
      return { ...res, created_at: String(res.created_at ?? '') };
    },
  };
}

export type MediaApi = ReturnType<typeof createMediaApi>;
