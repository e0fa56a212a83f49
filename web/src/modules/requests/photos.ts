// Request photos (POST /api/v1/request-photos?name=<file name>, the raw image as the body, its own
// Content-Type) with XMLHttpRequest for the upload progress (fetch has none). The server takes
// JPEG, PNG and WebP up to 10 MB, sniffs the bytes and strips EXIF (GPS) before storing.
import { xhrUpload, type UploadState, type XhrUpload } from '@/shared/xhr-upload';
import type { Me } from '@/shared/types';
import { canFileRequests, canHandleRequests } from '@/modules/requests/perm';
import type { RequestPhoto } from '@/modules/requests/types';

export const PHOTO_MAX_BYTES = 10 * 1024 * 1024;
export const PHOTO_MAX_COUNT = 6;
export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'];

const BY_EXTENSION: Record<string, string> = { jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };

/** The file's type: what the browser says, else from its extension ('' when neither knows). */
export function photoType(file: File): string {
  if (file.type) return file.type;
  const ext = /\.([a-z0-9]+)$/i.exec(file.name)?.[1]?.toLowerCase() ?? '';
  return BY_EXTENSION[ext] ?? '';
}

export type PhotoProblem = 'empty' | 'tooLarge' | 'type';

/** Checks before uploading (the server checks again). An unknown type is left to the server. */
export function checkPhoto(file: File): PhotoProblem | null {
  if (file.size === 0) return 'empty';
  const type = photoType(file);
  if (type && !PHOTO_TYPES.includes(type)) return 'type';
  // A phone's large photo is shrunk before upload (shrinkPhoto); only what cannot be is refused
  // here. The server still answers 413 for anything over its limit.
  const shrinkable = type !== '' && PHOTO_TYPES.includes(type);
  if (file.size > (shrinkable ? 4 * PHOTO_MAX_BYTES : PHOTO_MAX_BYTES)) return 'tooLarge';
  return null;
}

/**
 * Who may upload request photos: reporters (request.create: villagers, party members, village
 * cadres) for what they file, and the offices that handle requests (request.handle: village
 * cadres, town officials, unit staff, county admins) for progress notes and results. The server
 * takes either permission.
 */
export function canUploadPhotos(me: Me | null): boolean {
  return canFileRequests(me) || canHandleRequests(me);
}

export type PhotoUpload = XhrUpload<RequestPhoto>;

const SHRINK_ABOVE_BYTES = 1.5 * 1024 * 1024;
const SHRINK_MAX_SIDE = 2560;
const SHRINK_QUALITY = 0.85;

/** Decodes `file` upright (EXIF orientation applied): an ImageBitmap, else an <img> element. */
async function decodePhoto(file: File): Promise<{ image: CanvasImageSource; width: number; height: number; close(): void }> {
  if (typeof createImageBitmap === 'function') {
    try {
      const bmp = await createImageBitmap(file, { imageOrientation: 'from-image' });
      return { image: bmp, width: bmp.width, height: bmp.height, close: () => bmp.close() };
    } catch {
      // Options unsupported (older Safari) or not decodable here: try an <img>, which browsers orient.
    }
  }
  const url = URL.createObjectURL(file);
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    return { image: img, width: img.naturalWidth, height: img.naturalHeight, close: () => {} };
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** A w x h 2D canvas and its JPEG encoder: an OffscreenCanvas if it can draw, else a DOM canvas. */
function canvas2d(w: number, h: number): { ctx: CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D; toJpeg(): Promise<Blob | null> } | null {
  if (typeof OffscreenCanvas === 'function') {
    const c = new OffscreenCanvas(w, h);
    const ctx = c.getContext('2d');
    if (ctx) return { ctx, toJpeg: () => c.convertToBlob({ type: 'image/jpeg', quality: SHRINK_QUALITY }) };
  }
  const c = document.createElement('canvas');
  c.width = w;
  c.height = h;
  const ctx = c.getContext('2d');
  return ctx && { ctx, toJpeg: () => new Promise<Blob | null>((ok) => c.toBlob(ok, 'image/jpeg', SHRINK_QUALITY)) };
}

/** Draws `image` at w x h on white and encodes it as JPEG (null when the browser can't). */
async function encodeJpeg(image: CanvasImageSource, w: number, h: number): Promise<Blob | null> {
  const canvas = canvas2d(w, h);
  if (!canvas) return null;
  canvas.ctx.fillStyle = '#fff'; // transparent PNG/WebP areas become white, not black
  canvas.ctx.fillRect(0, 0, w, h);
  canvas.ctx.drawImage(image, 0, 0, w, h);
  const blob = await canvas.toJpeg();
  return blob && blob.type === 'image/jpeg' ? blob : null; // a browser may fall back to PNG
}

/**
 * Shrinks a large photo in the browser before upload, for weak rural networks. Contract: only
 * JPEG, PNG and WebP are touched; one of at most 1.5 MB whose longer side is at most 2560 px is
 * returned as is. Otherwise it is redrawn (EXIF orientation applied, transparency on white) with
 * its longer side at most 2560 px and encoded as JPEG quality 0.85, named like the original with
 * a .jpg extension. If that is not smaller, or anything fails (decode, no canvas), the original
 * file is returned: this never rejects and never loses the user's photo. The server still checks
 * the type and size and strips EXIF.
 */
export async function shrinkPhoto(file: File): Promise<File> {
  if (!PHOTO_TYPES.includes(photoType(file))) return file;
  try {
    const decoded = await decodePhoto(file);
    try {
      const { width, height } = decoded;
      const longer = Math.max(width, height);
      if (longer === 0 || (file.size <= SHRINK_ABOVE_BYTES && longer <= SHRINK_MAX_SIDE)) return file;
      const scale = Math.min(1, SHRINK_MAX_SIDE / longer);
      const w = Math.max(1, Math.round(width * scale));
      const h = Math.max(1, Math.round(height * scale));
      const blob = await encodeJpeg(decoded.image, w, h);
      if (!blob || blob.size >= file.size) return file;
      const name = (file.name || 'photo').replace(/\.[^./\\]*$/, '') + '.jpg';
      return new File([blob], name, { type: 'image/jpeg', lastModified: file.lastModified });
    } finally {
      decoded.close();
    }
  } catch {
    return file;
  }
}

/**
 * Starts uploading `file` (shrunk first by shrinkPhoto when large); `onProgress` gets 0..100.
 * `abort()` works while shrinking too: `done` then rejects with an AbortError.
 */
export function uploadPhoto(file: File, onProgress: (percent: number) => void): PhotoUpload {
  return xhrUpload<RequestPhoto>(
    shrinkPhoto(file),
    // encodeURIComponent, not URLSearchParams: a space is %20, not '+'.
    (body) => ({ path: `/request-photos?name=${encodeURIComponent(body.name || 'photo')}`, contentType: photoType(body) }),
    onProgress,
    99,
  );
}

/** One photo in a form: its upload state, then the stored photo. */
export interface PhotoItem extends UploadState {
  name: string;
  size: number;
  photo: RequestPhoto | null;
  /** A local preview while uploading (object URL), revoked when removed. */
  preview: string;
}
