/** Which camera photos the technician page shrinks before upload (plain TypeScript, no browser). */
import { downscalePlan, MAX_EDGE_PX, QUALITY, SMALL_BYTES } from '../src/mobile/photo-downscale-plan';

describe('photo downscale before upload', () => {
  it('shrinks a large JPEG to the long-edge limit at 0.8 quality and keeps its EXIF', () => {
    expect(downscalePlan({ type: 'image/jpeg', size: 4_800_000 })).toEqual({ kind: 'shrink', maxWidthOrHeight: MAX_EDGE_PX, initialQuality: QUALITY, preserveExif: true });
    expect(MAX_EDGE_PX).toBe(1600);
  });

  it('shrinks large PNG and WebP photos too (they carry no EXIF to keep)', () => {
    expect(downscalePlan({ type: 'image/png', size: 2_000_000 })).toMatchObject({ kind: 'shrink', preserveExif: false });
    expect(downscalePlan({ type: 'image/webp', size: SMALL_BYTES + 1 })).toMatchObject({ kind: 'shrink' });
  });

  it('sends small photos, formats the canvas cannot re-encode and non-images as they are', () => {
    expect(downscalePlan({ type: 'image/jpeg', size: SMALL_BYTES })).toEqual({ kind: 'keep', reason: 'small' });
    expect(downscalePlan({ type: 'image/heic', size: 3_000_000 })).toEqual({ kind: 'keep', reason: 'format' });
    expect(downscalePlan({ type: 'image/gif', size: 3_000_000 })).toEqual({ kind: 'keep', reason: 'format' });
    expect(downscalePlan({ type: 'application/pdf', size: 3_000_000 })).toEqual({ kind: 'keep', reason: 'not-an-image' });
  });
});
