// What has been typed into a form, kept on the phone (localStorage, per account and form) as the
// person types, so a reload, a closed tab or a lost network loses nothing; it is dropped once the
// server has the answers. Besides the answers it keeps what the page shows for some of them (a
// region's name).
import { readLocal, writeLocal } from '@/shared/local-store';
import type { Answers } from '@/modules/docs/types';

export interface FillDraft {
  v: 1;
  answers: Answers;
  /** Display names by field id (a region's name). */
  labels: Record<string, string>;
  updated_at: number;
}

const PREFIX = 'sx.forms.draft.';

function key(account: string, docId: string): string {
  return `${PREFIX}${account}.${docId}`;
}

export function loadFillDraft(account: string, docId: string): FillDraft | null {
  if (!account || !docId) return null;
  const raw = readLocal(key(account, docId));
  if (!raw) return null;
  try {
    const d = JSON.parse(raw) as Partial<FillDraft>;
    if (d?.v !== 1 || !d.answers || typeof d.answers !== 'object') return null;
    return { v: 1, answers: d.answers, labels: d.labels ?? {}, updated_at: Number(d.updated_at) || 0 };
  } catch {
    return null;
  }
}

export function saveFillDraft(account: string, docId: string, answers: Answers, labels: Record<string, string>): void {
  if (!account || !docId) return;
  const d: FillDraft = { v: 1, answers, labels, updated_at: Date.now() };
  writeLocal(key(account, docId), JSON.stringify(d));
}

export function clearFillDraft(account: string, docId: string): void {
  if (!account || !docId) return;
  writeLocal(key(account, docId), null);
}
