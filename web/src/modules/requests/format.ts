// Display helpers the requests pages share in both apps: status colours, the next deadline, rates
// and durations, and the timeline's wording.
import { t } from '@/shared/i18n';
import { prefs } from '@/shared/prefs';
import type { RequestStatus, RequestStep, RequestSummary } from '@/modules/requests/types';

/** A tag colour for a status (names both Vant and Element Plus know, 'info' only in the console). */
export type TagTone = 'primary' | 'success' | 'warning' | 'danger' | 'info';

export function statusTone(s: RequestStatus): TagTone {
  switch (s) {
    case 'dispatched':
    case 'returned':
      return 'warning';
    case 'signed':
    case 'processing':
      return 'primary';
    case 'finished':
      return 'warning'; // waiting for the reporter
    case 'resolved':
      return 'success';
    default:
      return 'info'; // closed (not fixed), merged
  }
}

/** Whether an ISO time is already past. */
export function isPast(iso: string | null | undefined, now = Date.now()): boolean {
  if (!iso) return false;
  const ms = new Date(iso).getTime();
  return Number.isFinite(ms) && ms < now;
}

export type DeadlineKind = 'sign' | 'finish';

export interface Deadline {
  kind: DeadlineKind;
  at: string;
  overdue: boolean;
}

/** The deadline that runs now: signing while waiting for the office, finishing while in hand. */
export function nextDeadline(r: Pick<RequestSummary, 'status' | 'sign_due' | 'finish_due'>, now = Date.now()): Deadline | null {
  if ((r.status === 'dispatched' || r.status === 'returned') && r.sign_due) {
    return { kind: 'sign', at: r.sign_due, overdue: isPast(r.sign_due, now) };
  }
  if ((r.status === 'signed' || r.status === 'processing') && r.finish_due) {
    return { kind: 'finish', at: r.finish_due, overdue: isPast(r.finish_due, now) };
  }
  return null;
}

/** Sign overdue (still unsigned) or finish overdue (still open), for the console's red cells. */
export function signOverdue(r: RequestSummary, now = Date.now()): boolean {
  return (r.status === 'dispatched' || r.status === 'returned') && isPast(r.sign_due, now);
}
export function finishOverdue(r: RequestSummary, now = Date.now()): boolean {
  return (r.status === 'dispatched' || r.status === 'returned' || r.status === 'signed' || r.status === 'processing') && isPast(r.finish_due, now);
}

/** A rate (0..1) as a percentage with one decimal, e.g. 0.8754 -> "87.5%"; null -> "—". */
export function rate(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return `${(Math.round(v * 1000) / 10).toFixed(1)}%`;
}

/** Counts with the UI language's grouping. */
export function count(n: number | null | undefined): string {
  return new Intl.NumberFormat(prefs.locale).format(n ?? 0);
}

/** A duration in hours for people: minutes below an hour, hours below two days, else days. */
export function hours(h: number | null | undefined): string {
  if (h === null || h === undefined || !Number.isFinite(h)) return '—';
  if (h < 1) return t('requests.duration.minutes', { n: Math.max(1, Math.round(h * 60)) });
  if (h < 48) return t('requests.duration.hours', { n: Math.round(h * 10) / 10 });
  return t('requests.duration.days', { n: Math.round((h / 24) * 10) / 10 });
}

/** A file size for people: "820 KB", "3.4 MB". */
export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** The first line(s) of a description, for lists. */
export function excerpt(text: string, max = 60): string {
  const one = text.replace(/\s+/g, ' ').trim();
  const chars = [...one];
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : one;
}

// Notes the server writes in Chinese for the steps it takes itself (see service.cc); shown in the
// UI language instead.
const SERVER_NOTES: Record<string, string> = {
  代为反映: 'requests.serverNote.onBehalf',
  签收超时: 'requests.serverNote.signOverdue',
  办理超时: 'requests.serverNote.finishOverdue',
  '逾期未确认，视为已解决': 'requests.serverNote.autoConfirmed',
};

/** The note of a timeline step in words (some kinds carry codes or a rating). */
export function stepNote(s: RequestStep): string {
  const note = (s.note ?? '').trim();
  if (!note) return '';
  if (SERVER_NOTES[note]) return t(SERVER_NOTES[note]);
  switch (s.kind) {
    case 'rate': {
      const m = /^([1-5])(?:\s+([\s\S]*))?$/.exec(note);
      if (m) return m[2] ? t('requests.step.rateNoteWithComment', { n: m[1], comment: m[2] }) : t('requests.step.rateNote', { n: m[1] });
      return note;
    }
    case 'followup':
      if (note === 'still_fixed' || note === 'broken_again') return t(`requests.followupAnswer.${note}`);
      return note;
    case 'dispatch':
      return t('requests.step.dispatchNote', { note });
    case 'merge':
      return t('requests.step.mergeNote', { note });
    case 'merged_in':
      return t('requests.step.mergedInNote', { note });
    default:
      return note;
  }
}

/** The kind of a step in words (an unknown kind as it is). */
export function stepTitle(s: RequestStep, te: (k: string) => boolean): string {
  const key = `requests.step.kind.${s.kind}`;
  return te(key) ? t(key) : s.kind;
}

/** The current month in Asia/Shanghai, "2026-11". */
export function thisMonth(now = Date.now()): string {
  return new Date(now + 8 * 3600 * 1000).toISOString().slice(0, 7);
}

/** The status colour as a Vant tag type (Vant's grey is 'default'). */
export function vantTone(s: RequestStatus): 'primary' | 'success' | 'warning' | 'danger' | 'default' {
  const tone = statusTone(s);
  return tone === 'info' ? 'default' : tone;
}
