// Attachment upload (POST /api/v1/attachments?name=<file name>, the raw file as the body) with
// XMLHttpRequest (src/shared/xhr-upload.ts), for its upload progress events (fetch has none). Same
// headers as every API request (CSRF, language), a fresh Idempotency-Key per file, problem+json
// turned into ApiError.
import { xhrUpload, type UploadState, type XhrUpload } from '@/shared/xhr-upload';
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
export interface UploadItem extends UploadState {
  name: string;
  size: number;
  attachment: Attachment | null;
}

export type Upload = XhrUpload<Attachment>;

/** Starts uploading `file` (a fresh Idempotency-Key each time); `onProgress` gets 0..100. */
export function uploadAttachment(file: File, onProgress: (percent: number) => void): Upload {
  return xhrUpload<Attachment>(
    file,
    // encodeURIComponent, not URLSearchParams: a space is %20, not '+'.
    (body) => ({
      path: `/attachments?name=${encodeURIComponent(body.name)}`,
      contentType: fileType(body),
      headers: { 'Idempotency-Key': uuid4() },
    }),
    onProgress,
  );
}
