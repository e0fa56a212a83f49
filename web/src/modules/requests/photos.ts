// Request photos (POST /api/v1/request-photos?name=<file name>, the raw image as the body, its own
// Content-Type) with XMLHttpRequest for the upload progress (fetch has none). The server takes
// JPEG, PNG and WebP up to 10 MB, sniffs the bytes and strips EXIF (GPS) before storing.
import { API_BASE, ApiError, apiHeaders, problemFromText, reportUnauthorized } from '@/shared/api';
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
  if (file.size > PHOTO_MAX_BYTES) return 'tooLarge';
  const type = photoType(file);
  if (type && !PHOTO_TYPES.includes(type)) return 'type';
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

export interface PhotoUpload {
  done: Promise<RequestPhoto>;
  abort(): void;
}

/** Starts uploading `file`; `onProgress` gets 0..100. */
export function uploadPhoto(file: File, onProgress: (percent: number) => void): PhotoUpload {
  const xhr = new XMLHttpRequest();
  const done = new Promise<RequestPhoto>((resolve, reject) => {
    // encodeURIComponent, not URLSearchParams: a space is %20, not '+'.
    xhr.open('POST', `${API_BASE}/request-photos?name=${encodeURIComponent(file.name || 'photo')}`);
    for (const [k, v] of Object.entries(apiHeaders('POST'))) xhr.setRequestHeader(k, v);
    xhr.setRequestHeader('Content-Type', photoType(file) || 'application/octet-stream');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(Math.min(99, Math.round((e.loaded / e.total) * 100)));
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          onProgress(100);
          resolve(JSON.parse(xhr.responseText) as RequestPhoto);
        } catch {
          reject(new ApiError(xhr.status, 'Bad response', ''));
        }
        return;
      }
      if (xhr.status === 401) reportUnauthorized();
      reject(problemFromText(xhr.status, xhr.statusText, xhr.responseText));
    };
    xhr.onerror = () => reject(new ApiError(0, '', ''));
    xhr.onabort = () => reject(new DOMException('aborted', 'AbortError'));
    xhr.send(file);
  });
  return { done, abort: () => xhr.abort() };
}

/** One photo in a form: its upload state, then the stored photo. */
export interface PhotoItem {
  key: number;
  name: string;
  size: number;
  status: 'uploading' | 'done' | 'failed';
  progress: number;
  error: string;
  photo: RequestPhoto | null;
  /** A local preview while uploading (object URL), revoked when removed. */
  preview: string;
}
