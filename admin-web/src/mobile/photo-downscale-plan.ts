/**
 * Phone photos (often 4000 px and 3–8 MB) are shrunk before they are queued: at most 1600 px on the
 * long edge at about 0.8 JPEG quality is plenty to see a door lock, and uploads on a weak 4G
 * connection get through. The capture time travels as its own field; EXIF is kept for JPEGs too.
 */
export const MAX_EDGE_PX = 1600;
export const QUALITY = 0.8;
/** Below this a photo is sent as taken: shrinking would save little and cost a re-encode. */
export const SMALL_BYTES = 400 * 1024;

/** Formats the canvas can re-encode; anything else (GIF, HEIC the browser cannot decode…) goes as it is. */
const reencodable = new Set(['image/jpeg', 'image/png', 'image/webp']);

export type DownscalePlan = { kind: 'keep'; reason: 'not-an-image' | 'format' | 'small' } | { kind: 'shrink'; maxWidthOrHeight: number; initialQuality: number; preserveExif: boolean };

/** What to do with a file the camera gave us. */
export function downscalePlan(file: { type: string; size: number }): DownscalePlan {
  if (!file.type.startsWith('image/')) return { kind: 'keep', reason: 'not-an-image' };
  if (!reencodable.has(file.type)) return { kind: 'keep', reason: 'format' };
  if (file.size <= SMALL_BYTES) return { kind: 'keep', reason: 'small' };
  return { kind: 'shrink', maxWidthOrHeight: MAX_EDGE_PX, initialQuality: QUALITY, preserveExif: file.type === 'image/jpeg' };
}
