// Attachment upload (POST /api/v1/attachments?name=<file name>, the raw file as the body) with
// XMLHttpRequest, for its upload progress events (fetch has none). Same headers as every API
// request (CSRF, language), a fresh Idempotency-Key per file, problem+json turned into ApiError.
import { API_BASE, ApiError, apiHeaders, problemFromText, reportUnauthorized } from '@/shared/api';
import { uuid4 } from '@/shared/uuid';
import { ATTACHMENT_MAX_BYTES, ATTACHMENT_TYPES, type Attachment } from '@/modules/notices/types';

const BY_EXTENSION: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  pdf: 'application/pdf',
};

/** The file's type: what the browser says, else from its extension ('' when neither knows). */
export function fileType(file: File): string {
  if (file.type) return file.type;
  const ext = /\.([a-z0-9]+)$/i.exec(file.name)?.[1]?.toLowerCase() ?? '';
  return BY_EXTENSION[ext] ?? '';
}

export type FileProblem = 'empty' | 'tooLarge' | 'type';

/** Checks before uploading (the server checks again, sniffing the content). */
export function checkFile(file: File): FileProblem | null {
  if (file.size === 0) return 'empty';
  if (file.size > ATTACHMENT_MAX_BYTES) return 'tooLarge';
  if (!ATTACHMENT_TYPES.includes(fileType(file))) return 'type';
  return null;
}

/** One file in the compose form's list: its upload state, then the stored attachment. */
export interface UploadItem {
  key: number;
  name: string;
  size: number;
  status: 'uploading' | 'done' | 'failed';
  progress: number;
  error: string;
  attachment: Attachment | null;
}

export interface Upload {
  done: Promise<Attachment>;
  abort(): void;
}

/** Starts uploading `file`; `onProgress` gets 0..100. */
export function uploadAttachment(file: File, onProgress: (percent: number) => void): Upload {
  const xhr = new XMLHttpRequest();
  const done = new Promise<Attachment>((resolve, reject) => {
    // encodeURIComponent, not URLSearchParams: a space is %20, not '+'.
    xhr.open('POST', `${API_BASE}/attachments?name=${encodeURIComponent(file.name)}`);
    const headers = apiHeaders('POST');
    for (const [k, v] of Object.entries(headers)) xhr.setRequestHeader(k, v);
    xhr.setRequestHeader('Content-Type', fileType(file) || 'application/octet-stream');
    xhr.setRequestHeader('Idempotency-Key', uuid4());
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(Math.min(100, Math.round((e.loaded / e.total) * 100)));
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          onProgress(100);
          resolve(JSON.parse(xhr.responseText) as Attachment);
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
