// One file POSTed to the API with XMLHttpRequest, for its upload progress events (fetch has none):
// the same headers as every API request (CSRF, language) plus the caller's, the raw file as the
// body, a 2xx answer's JSON as the result, problem+json turned into ApiError (401 → sign-in), a
// network failure as ApiError status 0 and `abort()` as an AbortError. Used by the notices'
// attachments and the requests' photos; `useUploadList` runs a form's list of such uploads.
import { onBeforeUnmount, type Ref } from 'vue';
import { API_BASE, ApiError, apiHeaders, problemFromText, reportUnauthorized } from '@/shared/api';

export interface XhrUpload<T> {
  done: Promise<T>;
  abort(): void;
}

export interface XhrUploadRequest {
  /** Below API_BASE, e.g. `/attachments?name=…`. */
  path: string;
  contentType: string;
  headers?: Record<string, string>;
}

/**
 * Starts uploading `file` (or what it resolves to: a file prepared first, e.g. a shrunk photo);
 * `request` says where and how. `onProgress` gets 0..`progressCap` while sending, then 100 when
 * done. `abort()` works while the file is prepared too: `done` then rejects with an AbortError.
 */
export function xhrUpload<T>(
  file: File | Promise<File>,
  request: (body: File) => XhrUploadRequest,
  onProgress: (percent: number) => void,
  progressCap = 100,
): XhrUpload<T> {
  const xhr = new XMLHttpRequest();
  let aborted = false;
  const send = (body: File) =>
    new Promise<T>((resolve, reject) => {
      if (aborted) {
        reject(new DOMException('aborted', 'AbortError'));
        return;
      }
      const { path, contentType, headers } = request(body);
      xhr.open('POST', `${API_BASE}${path}`);
      for (const [k, v] of Object.entries(apiHeaders('POST'))) xhr.setRequestHeader(k, v);
      xhr.setRequestHeader('Content-Type', contentType || 'application/octet-stream');
      for (const [k, v] of Object.entries(headers ?? {})) xhr.setRequestHeader(k, v);
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable && e.total > 0) onProgress(Math.min(progressCap, Math.round((e.loaded / e.total) * 100)));
      };
      xhr.onload = () => {
        if (xhr.status >= 200 && xhr.status < 300) {
          try {
            onProgress(100);
            resolve(JSON.parse(xhr.responseText) as T);
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
      xhr.send(body);
    });
  // A plain file is sent at once (no extra turn); a prepared one when it is ready.
  const done = file instanceof File ? send(file) : file.then(send);
  return {
    done,
    abort: () => {
      aborted = true;
      xhr.abort();
    },
  };
}

/** One file in a form's upload list (the item types add what the server stored). */
export interface UploadState {
  key: number;
  status: 'uploading' | 'done' | 'failed';
  progress: number;
  error: string;
}

/**
 * A form's list of uploads (v-model `items`): `start` uploads a file for an item (its progress
 * and state shown), `retry` sends a failed one again, `remove` aborts and drops it; uploads still
 * running when the component goes are aborted. `files` holds the files that can be retried.
 */
export function useUploadList<I extends UploadState, T>(
  items: Ref<I[]>,
  upload: (file: File, onProgress: (percent: number) => void) => XhrUpload<T>,
  done: (item: I, result: T) => void,
  failure: (e: unknown) => string,
) {
  const running = new Map<number, XhrUpload<T>>();
  const files = new Map<number, File>();

  function start(item: I, file: File): void {
    files.set(item.key, file);
    item.status = 'uploading';
    item.progress = 0;
    item.error = '';
    const up = upload(file, (p) => {
      item.progress = p;
    });
    running.set(item.key, up);
    up.done
      .then((result) => {
        done(item, result);
        item.status = 'done';
      })
      .catch((e: unknown) => {
        if (e instanceof DOMException && e.name === 'AbortError') return;
        item.status = 'failed';
        item.error = failure(e);
      })
      .finally(() => running.delete(item.key));
  }

  function retry(item: I): void {
    const file = files.get(item.key);
    if (file) start(item, file);
  }

  function remove(item: I): void {
    running.get(item.key)?.abort();
    running.delete(item.key);
    files.delete(item.key);
    const i = items.value.findIndex((x) => x.key === item.key);
    if (i >= 0) items.value.splice(i, 1);
  }

  onBeforeUnmount(() => {
    for (const up of running.values()) up.abort();
  });

  return { files, start, retry, remove };
}
