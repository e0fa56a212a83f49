// Display helpers the notices pages share in both apps.
import { prefs } from '@/shared/prefs';

/** Money in 元 from 分, e.g. 1234 -> "12.34". */
export function yuan(fen: number): string {
  return (Math.max(0, fen || 0) / 100).toFixed(2);
}

/** A file size for people: "820 KB", "3.4 MB". */
export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function isImage(contentType: string): boolean {
  return /^image\/(png|jpeg|gif|webp)$/.test(contentType);
}

/** A rate (0..1) as a whole percentage, e.g. 0.456 -> 46. */
export function percent(part: number, whole: number): number {
  if (!whole || whole <= 0) return 0;
  return Math.min(100, Math.round((part / whole) * 100));
}

/** Counts with the UI language's grouping, e.g. 12,345. */
export function count(n: number | null | undefined): string {
  return new Intl.NumberFormat(prefs.locale).format(n ?? 0);
}

/** Whether an ISO time is already past. */
export function isPast(iso: string | null | undefined): boolean {
  if (!iso) return false;
  const t = new Date(iso).getTime();
  return Number.isFinite(t) && t < Date.now();
}
