// The meetings API's JSON shapes (see docs/meetings.md: /api/v1/meetings, /meeting-actions,
// /calendar). The room's WebSocket frames are in room/protocol.ts.
import type { AudienceInput } from '@/modules/notices/types';

export type MeetingMode = 'online' | 'onsite' | 'both';
export const MODES: MeetingMode[] = ['online', 'onsite', 'both'];

/** A meeting (会议) or a training (培训, counted apart on the dashboard); set when scheduling only. */
export type MeetingKind = 'meeting' | 'training';
export const KINDS: MeetingKind[] = ['meeting', 'training'];

export type MeetingStatus = 'scheduled' | 'live' | 'ended' | 'cancelled';

export type Rsvp = 'pending' | 'accepted' | 'declined';
export const RSVPS: Rsvp[] = ['pending', 'accepted', 'declined'];

/** `upcoming`: not ended, not cancelled; `past`: the rest. */
export type When = 'upcoming' | 'past';
export const WHENS: When[] = ['upcoming', 'past'];

export interface MeetingMe {
  invited: boolean;
  rsvp: Rsvp;
  reason: string;
  is_host: boolean;
  can_manage: boolean;
  checked_in_at: string | null;
}

export interface MeetingMinutes {
  body: string;
  updated_at: string;
  by: string;
}

export interface Meeting {
  id: string;
  title: string;
  agenda: string;
  mode: MeetingMode;
  kind: MeetingKind;
  place: string;
  start_at: string;
  planned_minutes: number;
  end_at: string;
  status: MeetingStatus;
  cancel_reason: string;
  host: { account_id: string; name: string };
  organizer_label: string;
  notice_id: string;
  sequence: number;
  remind_minutes: number;
  counts: { invitees: number; accepted: number; declined: number; pending: number };
  started_at: string | null;
  ended_at: string | null;
  actual_minutes: number | null;
  me: MeetingMe;
  minutes: MeetingMinutes | null;
  created_at: string;
  updated_at: string;
}

/** What POST /meetings takes (the form sends every member but the unit). */
export interface MeetingInput
  extends Pick<Meeting, 'title' | 'agenda' | 'mode' | 'kind' | 'place' | 'start_at' | 'planned_minutes' | 'remind_minutes'> {
  audience: AudienceInput;
  unit_id?: string;
  sms: boolean;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface Invitee {
  member_id: string;
  name: string;
  village_name: string;
  rsvp: Rsvp;
  reason: string;
  rsvp_at: string | null;
  guest: boolean;
}

export interface AttendanceSummary {
  invitees: number;
  present: number;
  /** 0..1: present invitees / invitees (guests not counted). */
  rate: number;
  late: number;
  started_at: string | null;
  ended_at: string | null;
  actual_minutes: number | null;
}

export interface AttendanceRow {
  member_id: string;
  name: string;
  village_name: string;
  rsvp: Rsvp;
  guest: boolean;
  minutes: number;
  present: boolean;
  late: boolean;
  first_join_at: string | null;
  checked_in_at: string | null;
  corrected: boolean;
  note: string;
}

export interface Attendance {
  summary: AttendanceSummary;
  items: AttendanceRow[];
}

export type ActionStatus = 'open' | 'done';

export interface MeetingAction {
  id: string;
  meeting_id: string;
  meeting_title: string;
  title: string;
  owner: { member_id: string; name: string };
  due_at: string;
  status: ActionStatus;
  done_at: string | null;
  note: string;
  overdue: boolean;
  created_at: string;
}

export interface CheckinCode {
  code: string;
  /** A path of the resident app: /m/meetings/{id}/checkin?code=… */
  url: string;
  expires_at: string;
}

export interface CheckedIn {
  checked_in_at: string;
}

/** GET /calendar: whether a private feed address exists (it is shown only when made). */
export interface CalendarFeed {
  has_feed: boolean;
}

/** POST /calendar/token: the new private feed address, /api/v1/calendar/<token>.ics. */
export interface CalendarFeedMade {
  url: string;
}

/** Limits the server checks too. */
export const TITLE_MAX = 100;
export const AGENDA_MAX = 5000;
export const PLACE_MAX = 100;
export const PLANNED_MIN = 5;
export const PLANNED_MAX = 720;
/** A day: the most minutes a correction can give. */
export const ATTENDED_MAX = 1440;
export const MINUTES_MAX = 50_000;
export const NOTE_MAX = 200;
export const CHAT_MAX = 1000;
