import { prefs } from '@/shared/prefs';

/** Table column width in px, wider in elderly mode (larger text). */
export function colw(px: number): number {
  return prefs.elderly ? Math.round(px * 1.4) : px;
}
