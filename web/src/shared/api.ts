// The API client: same-origin fetch with the session cookie, CSRF header on writes, an
// Idempotency-Key on creating POSTs, and RFC 9457 problem+json turned into ApiError.
import { uuid4 } from '@/shared/uuid';
import { i18n } from '@/shared/i18n';

export interface FieldError {
  field: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number; // 0 = network failure
  readonly title: string;
  readonly detail: string;
  readonly errors: FieldError[];
  constructor(status: number, title: string, detail: string, errors: FieldError[] = []) {
    super(detail || title || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.errors = errors;
  }
  /** The message of the error on one field, if the server named it. */
  fieldMessage(field: string): string {
    return this.errors.filter((e) => e.field === field).map((e) => e.message).join('; ');
  }
}

export const API_BASE = '/api/v1';

let csrfToken = '';
let onUnauthorized: (() => void) | null = null;

export function setCsrfToken(token: string): void {
  csrfToken = token;
}

/** Called on any 401 except from the sign-in request itself. */
export function setUnauthorizedHandler(fn: () => void): void {
  onUnauthorized = fn;
}

export interface RequestOptions {
  body?: unknown;
  query?: Record<string, string | number | undefined | null>;
  /** For creating POSTs: pass the same key again when retrying the same submission. */
  idempotencyKey?: string;
  /** Don't run the global 401 handler (sign-in form shows the error itself). */
  quiet401?: boolean;
  signal?: AbortSignal;
}

/** The URL of an API path with its query (empty values left out), for links and downloads too. */
export function apiUrl(path: string, query?: RequestOptions['query']): string {
  let url = API_BASE + path;
  if (query) {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) {
      if (v !== undefined && v !== null && v !== '') qs.set(k, String(v));
    }
    const s = qs.toString();
    if (s) url += `?${s}`;
  }
  return url;
}

/** An ApiError from a failed response's status and body text (problem+json or anything else). */
export function problemFromText(status: number, statusText: string, text: string): ApiError {
  let body: Record<string, unknown> | null = null;
  try {
    body = text ? (JSON.parse(text) as Record<string, unknown>) : null;
  } catch {
    body = null;
  }
  const errors = Array.isArray(body?.errors)
    ? (body!.errors as unknown[])
        .filter((e): e is FieldError => !!e && typeof e === 'object' && 'field' in e && 'message' in e)
        .map((e) => ({ field: String(e.field), message: String(e.message) }))
    : [];
  return new ApiError(
    status,
    typeof body?.title === 'string' ? body.title : statusText,
    typeof body?.detail === 'string' ? body.detail : '',
    errors,
  );
}

async function parseProblem(res: Response): Promise<ApiError> {
  let text = '';
  try {
    text = await res.text();
  } catch {
    text = '';
  }
  return problemFromText(res.status, res.statusText, text);
}

/**
 * The headers every API request carries: Accept, Accept-Language (the server words its error
 * details in the language asked for) and, on writes, the CSRF token. Exported for the few callers
 * that cannot use fetch (XMLHttpRequest uploads with progress events).
 */
export function apiHeaders(method: string): Record<string, string> {
  const headers: Record<string, string> = {
    Accept: 'application/json, application/problem+json',
    'Accept-Language': i18n.global.locale.value === 'en' ? 'en' : 'zh-CN',
  };
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  return headers;
}

/** Runs the global 401 handler (for requests made outside `request`). */
export function reportUnauthorized(): void {
  onUnauthorized?.();
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers = apiHeaders(method);
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  if (opts.idempotencyKey) headers['Idempotency-Key'] = opts.idempotencyKey;
  let res: Response;
  try {
    res = await fetch(apiUrl(path, opts.query), {
      method,
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      credentials: 'same-origin',
      cache: 'no-store',
      signal: opts.signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, '', '');
  }
  if (res.status === 204) return undefined as T;
  if (!res.ok) {
    const err = await parseProblem(res);
    if (res.status === 401 && !opts.quiet401 && onUnauthorized) onUnauthorized();
    throw err;
  }
  const text = await res.text();
  try {
    return (text ? JSON.parse(text) : undefined) as T;
  } catch {
    throw new ApiError(res.status, 'Bad response', '');
  }
}

/** GET of a binary answer (e.g. a Yjs update): the bytes, or the same errors as `request`. */
export async function requestBytes(path: string, opts: Pick<RequestOptions, 'query' | 'signal'> = {}): Promise<Uint8Array> {
  const headers = apiHeaders('GET');
  headers.Accept = 'application/octet-stream, application/problem+json';
  let res: Response;
  try {
    res = await fetch(apiUrl(path, opts.query), { method: 'GET', headers, credentials: 'same-origin', cache: 'no-store', signal: opts.signal });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, '', '');
  }
  if (!res.ok) {
    const err = await parseProblem(res);
    if (res.status === 401 && onUnauthorized) onUnauthorized();
    throw err;
  }
  try {
    return new Uint8Array(await res.arrayBuffer());
  } catch {
    throw new ApiError(0, '', '');
  }
}

export const api = {
  get: <T>(path: string, opts?: RequestOptions) => request<T>('GET', path, opts),
  post: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('POST', path, { ...opts, body }),
  patch: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('PATCH', path, { ...opts, body }),
  put: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('PUT', path, { ...opts, body }),
  delete: <T>(path: string, opts?: RequestOptions) => request<T>('DELETE', path, opts),
};

/**
 * Keeps one Idempotency-Key per submission: the same payload submitted again (a retry after a
 * network error or a double tap) reuses the key, a changed payload gets a new one, and after a
 * success the next submission starts fresh.
 */
export function idempotencyKeeper() {
  let key = '';
  let payload = '';
  return {
    keyFor(body: unknown): string {
      const p = JSON.stringify(body);
      if (!key || p !== payload) {
        key = uuid4();
        payload = p;
      }
      return key;
    },
    done(): void {
      key = '';
      payload = '';
    },
  };
}
