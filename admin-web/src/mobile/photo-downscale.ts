import { downscalePlan } from './photo-downscale-plan';

/** The photo to upload: shrunk when worth it, the original when not or when shrinking fails (never lose a photo). */
export async function downscalePhoto(file: File): Promise<File> {
  const plan = downscalePlan(file);
  if (plan.kind === 'keep') return file;
  try {
    const { default: imageCompression } = await import('browser-image-compression');
    // No web worker: the library would load its worker script from a CDN, which a self-hosted site must not need.
    const smaller = await imageCompression(file, { maxWidthOrHeight: plan.maxWidthOrHeight, initialQuality: plan.initialQuality, preserveExif: plan.preserveExif, useWebWorker: false });
    return smaller.size < file.size ? new File([smaller], file.name, { type: smaller.type, lastModified: file.lastModified }) : file;
  } catch {
    return file;
  }
}
