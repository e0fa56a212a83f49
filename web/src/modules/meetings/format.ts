// Display helpers the meetings pages share in both apps (and the room): status colours, the time
// span, durations, the form's Shanghai wall-clock values, and the meeting's API paths.
import { t } from '@/shared/i18n';
import { apiUrl } from '@/shared/api';
import { formatTime } from '@/shared/format';
import { prefs } from '@/shared/prefs';
import type { Meeting, MeetingStatus } from '@/modules/meetings/types';

/** A tag colour for a status (Element Plus names; vantTone maps 'info' to Vant's 'default'). */
export function statusTone(s: MeetingStatus): 'primary' | 'success' | 'info' | 'danger' {
  switch (s) {
    case 'scheduled':
      return 'primary';
    case 'live':
      return 'success';
    case 'cancelled':
      return 'danger';
    default:
      return 'info';
  }
}

export function vantTone(s: MeetingStatus): 'primary' | 'success' | 'default' | 'danger' {
  const tone = statusTone(s);
  return tone === 'info' ? 'default' : tone;
}

/** Not ended nor cancelled: answers, the room, edits and check-ins still make sense. */
export function isOpen(m: Pick<Meeting, 'status'>): boolean {
  return m.status === 'scheduled' || m.status === 'live';
}

/** Online or both: there is a room to join. */
export function hasRoom(m: Pick<Meeting, 'mode'>): boolean {
  return m.mode !== 'onsite';
}

/** On site or both: there is a place to check in at. */
export function hasPlace(m: Pick<Meeting, 'mode'>): boolean {
  return m.mode !== 'online';
}

const SHANGHAI_MS = 8 * 3600 * 1000;

/** The Shanghai calendar day of a time, "2026-12-01". */
function shanghaiDay(iso: string): string {
  const ms = new Date(iso).getTime();
  return Number.isFinite(ms) ? new Date(ms + SHANGHAI_MS).toISOString().slice(0, 10) : '';
}

/** "2026/12/01 09:00 – 10:00" (the end's date too when it falls on another day). */
export function timeSpan(m: Pick<Meeting, 'start_at' | 'end_at'>): string {
  if (!m.end_at) return formatTime(m.start_at);
  const end = shanghaiDay(m.start_at) === shanghaiDay(m.end_at) ? formatTime(m.end_at).slice(-5) : formatTime(m.end_at);
  return `${formatTime(m.start_at)} – ${end}`;
}

/** A length in minutes for people: "45 分钟", "1 小时 30 分钟". */
export function duration(minutes: number | null | undefined): string {
  if (minutes === null || minutes === undefined || !Number.isFinite(minutes)) return '—';
  const total = Math.max(0, Math.round(minutes));
  const h = Math.floor(total / 60);
  const m = total % 60;
  if (!h) return t('meetings.duration.minutes', { n: m });
  return m ? t('meetings.duration.hoursMinutes', { h, m }) : t('meetings.duration.hours', { h });
}

/** A time as the date pickers' value: the Shanghai wall clock, "2026-12-01T09:00:00". */
export function toPickerValue(iso: string): string {
  const ms = new Date(iso).getTime();
  return Number.isFinite(ms) ? new Date(ms + SHANGHAI_MS).toISOString().slice(0, 19) : '';
}

/** A date picker's Shanghai wall-clock value as ISO 8601 with its offset. */
export function fromPickerValue(v: string): string {
  return `${v}+08:00`;
}

/** A date picker's day ("2026-12-05") as the end of that day in Shanghai (an action's due time). */
export function endOfDay(day: string): string {
  return `${day}T23:59:59+08:00`;
}

/** Counts with the UI language's grouping. */
export function count(n: number | null | undefined): string {
  return new Intl.NumberFormat(prefs.locale).format(n ?? 0);
}

/** The API path of one meeting (and what hangs below it). */
export function meetingPath(id: string, suffix = ''): string {
  return `/meetings/${encodeURIComponent(id)}${suffix}`;
}

/** The .ics download of one meeting (one VEVENT). */
export function icsUrl(id: string): string {
  return apiUrl(`/meetings/${encodeURIComponent(id)}.ics`);
}
