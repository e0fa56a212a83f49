// The request being written, kept in localStorage (per account) so it survives a reload, a closed
// tab or a lost network: its text, category, place, photos already uploaded and the
// Idempotency-Key. The key stays the same across retries of the same draft, so a submission that
// reached the server before the network dropped is not filed twice; a successful submission
// deletes the draft.
import { readLocal, writeLocal } from '@/shared/local-store';
import { uuid4 } from '@/shared/uuid';
import type { RequestPhoto } from '@/modules/requests/types';

export interface DraftPhoto extends RequestPhoto {
  name: string;
}

export interface Draft {
  v: 1;
  key: string;
  category: string;
  description: string;
  address: string;
  lat: number | null;
  lng: number | null;
  accuracy: number | null;
  public: boolean;
  photos: DraftPhoto[];
  /** A submission was sent and no answer came (network): the list offers to finish it. */
  pending: boolean;
  updated_at: number;
}

const PREFIX = 'sx.requests.draft.';

function storageKey(account: string): string {
  return PREFIX + account;
}

export function emptyDraft(): Draft {
  return {
    v: 1,
    key: uuid4(),
    category: '',
    description: '',
    address: '',
    lat: null,
    lng: null,
    accuracy: null,
    public: false,
    photos: [],
    pending: false,
    updated_at: Date.now(),
  };
}

function isDraft(x: unknown): x is Draft {
  if (!x || typeof x !== 'object') return false;
  const d = x as Record<string, unknown>;
  return d.v === 1 && typeof d.key === 'string' && typeof d.description === 'string' && Array.isArray(d.photos);
}

export function loadDraft(account: string): Draft | null {
  if (!account) return null;
  const raw = readLocal(storageKey(account));
  if (!raw) return null;
  try {
    const d = JSON.parse(raw) as unknown;
    if (!isDraft(d)) return null;
    return { ...emptyDraft(), ...d, photos: d.photos.filter((p) => p && typeof p.id === 'string').slice(0, 6) };
  } catch {
    return null;
  }
}

export function saveDraft(account: string, d: Draft): void {
  if (!account) return;
  writeLocal(storageKey(account), JSON.stringify({ ...d, updated_at: Date.now() }));
}

export function clearDraft(account: string): void {
  if (!account) return;
  writeLocal(storageKey(account), null);
}

/** Whether a draft holds anything worth keeping. */
export function draftHasContent(d: Draft | null): boolean {
  return !!d && (!!d.description.trim() || !!d.category || d.photos.length > 0 || !!d.address.trim() || d.pending);
}
