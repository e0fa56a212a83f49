// Display helpers and API paths the documents and forms pages share in both apps.
import { apiUrl } from '@/shared/api';
import { prefs } from '@/shared/prefs';
import type { Answer, Doc, Field, FormInfo } from '@/modules/docs/types';

/** The API path of one document (and what hangs below it). */
export function docPath(id: string, suffix = ''): string {
  return `/docs/${encodeURIComponent(id)}${suffix}`;
}

/** The URL of an image or photo uploaded to a document or form (for <img src>). */
export function fileUrl(docId: string, fileId: string): string {
  return apiUrl(`/docs/${encodeURIComponent(docId)}/files/${encodeURIComponent(fileId)}`);
}

/** The y-websocket server URL (the room, the document's id, is appended by the provider). */
export function syncServerUrl(): string {
  const proto = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${proto}://${location.host}/yjs`;
}

/** Counts with the UI language's grouping. */
export function count(n: number | null | undefined): string {
  return new Intl.NumberFormat(prefs.locale).format(n ?? 0);
}

/** Whether an ISO time is already past. */
export function isPast(iso: string | null | undefined): boolean {
  if (!iso) return false;
  const ms = new Date(iso).getTime();
  return Number.isFinite(ms) && ms < Date.now();
}

/** A form that takes answers now: sent, not closed, the deadline not past. */
export function acceptsAnswers(f: Pick<FormInfo, 'status' | 'deadline'> | null | undefined): boolean {
  return !!f && f.status === 'open' && !isPast(f.deadline);
}

/** A tag colour for a form's state (Element Plus names). */
export function formTone(f: Pick<FormInfo, 'status' | 'deadline'>): 'info' | 'success' | 'warning' {
  if (f.status === 'draft') return 'info';
  return acceptsAnswers(f) ? 'success' : 'warning';
}

/** The locale key of a form's state: draft, collecting, past its deadline, closed. */
export function formStateKey(f: Pick<FormInfo, 'status' | 'deadline'>): string {
  if (f.status === 'open' && isPast(f.deadline)) return 'docs.formState.expired';
  return `docs.formState.${f.status}`;
}

/** The folder of a document for people: "城北村 · 县农业农村委". */
export function folderLabel(d: Pick<Doc, 'region_name' | 'unit_name'>): string {
  return [d.region_name, d.unit_name].filter(Boolean).join(' · ');
}

/** A rate as a whole percentage. */
export function percent(part: number, whole: number): number {
  if (!whole || whole <= 0) return 0;
  return Math.min(100, Math.round((part / whole) * 100));
}

/** A stable colour for a person (collaboration carets, avatars), from their account id. */
const COLORS = ['#1f6f43', '#1565c0', '#ad1457', '#6a1b9a', '#e65100', '#00838f', '#4e342e', '#c62828', '#2e7d32', '#283593'];
export function personColor(id: string): string {
  let h = 0;
  for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) >>> 0;
  return COLORS[h % COLORS.length];
}

/** The first character of a name, for an avatar. */
export function initial(name: string): string {
  return [...(name || '?').trim()][0] ?? '?';
}

/** An answer as text for a table cell (photos and regions are drawn by the page itself). */
export function answerText(field: Field | undefined, v: Answer | undefined): string {
  if (v === null || v === undefined || v === '') return '';
  if (Array.isArray(v)) return v.join('、');
  if (field?.type === 'number' && typeof v === 'number') return new Intl.NumberFormat(prefs.locale).format(v);
  return String(v);
}
