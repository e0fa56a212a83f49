// The notices API's JSON shapes (see the notices contract: /api/v1/notices, /inbox, /attachments).

export type NoticeCategory = 'policy' | 'meeting' | 'flood' | 'epidemic' | 'farming' | 'other' | 'form';
/** The categories a notice is composed with ('form' notices come only from sending a collection form). */
export const CATEGORIES: NoticeCategory[] = ['policy', 'meeting', 'flood', 'epidemic', 'farming', 'other'];
/** The categories an inbox filters by: every one, 收集表 included. */
export const INBOX_CATEGORIES: NoticeCategory[] = [...CATEGORIES, 'form'];

export type Urgency = 'normal' | 'urgent';
export const URGENCIES: Urgency[] = ['normal', 'urgent'];

export type NoticeStatus = 'scheduled' | 'published' | 'withdrawn';
export const STATUSES: NoticeStatus[] = ['scheduled', 'published', 'withdrawn'];

export type AudienceRole = 'village_cadre' | 'party_member' | 'resident' | 'town_official' | 'unit_staff';
export const AUDIENCE_ROLES: AudienceRole[] = ['village_cadre', 'party_member', 'resident', 'town_official', 'unit_staff'];

/** The audience as sent (ids only). */
export interface AudienceInput {
  regions: string[];
  units: string[];
  roles: { role: AudienceRole; region: string }[];
  households: string[];
  people: string[];
}

/** The audience as the server returns it (each item named). */
export interface AudienceOutput {
  regions: { code: string; name: string }[];
  units: { id: string; name: string }[];
  roles: { role: AudienceRole; region: string; region_name: string }[];
  households: { id: string; label: string }[];
  people: { id: string; name: string }[];
}

export interface Attachment {
  id: string;
  name: string;
  content_type: string;
  size: number;
  sha256: string;
  url: string;
}

export interface Revision {
  n: number;
  note: string;
  at: string;
  by: string;
}

export interface Publisher {
  account_id: string;
  name: string;
  label: string;
  unit_id: string | null;
  region_code: string;
}

export interface Notice {
  id: string;
  title: string;
  body: string;
  category: NoticeCategory;
  urgency: Urgency;
  status: NoticeStatus;
  publisher: Publisher;
  audience: AudienceOutput;
  audience_size: number;
  receipt_required: boolean;
  receipt_deadline: string | null;
  publish_at: string;
  published_at: string | null;
  expires_at: string | null;
  withdrawn_at: string | null;
  withdraw_reason: string | null;
  revision: number;
  revisions: Revision[];
  attachments: Attachment[];
  sms: boolean;
  sms_sent: number;
  sms_cost_fen: number;
  reminded_at: string | null;
  remind_count: number;
  created_at: string;
  updated_at: string;
  /** For a recipient viewing it. */
  read_at?: string | null;
  confirmed_at?: string | null;
  can_manage?: boolean;
}

/** A row of the manager's list (GET /notices). */
export interface ManagedNotice extends Notice {
  read_count: number;
  confirm_count: number;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface InboxItem {
  id: string;
  title: string;
  excerpt: string;
  category: NoticeCategory;
  urgency: Urgency;
  publisher_label: string;
  published_at: string | null;
  receipt_required: boolean;
  receipt_deadline: string | null;
  read_at: string | null;
  confirmed_at: string | null;
  revision: number;
  withdrawn: boolean;
  withdraw_reason: string | null;
  reminded_at: string | null;
  attachment_count: number;
}

export interface InboxPage extends Page<InboxItem> {
  unread_count: number;
}

export interface ReadMark {
  read_at: string;
}

export interface ConfirmMark {
  read_at: string;
  confirmed_at: string;
}

export interface AudiencePreview {
  audience_size: number;
  sms_recipients: number;
  sms_cost_fen: number;
}

export interface Tally {
  audience: number;
  read: number;
  confirmed: number;
}

export interface TownTally extends Tally {
  code: string;
  name: string;
}

export interface VillageTally extends Tally {
  code: string;
  name: string;
  town_code: string;
}

export interface UnitTally extends Tally {
  id: string;
  name: string;
}

export interface NoticeStats {
  audience_size: number;
  read: number;
  confirmed: number;
  unread: number;
  read_rate: number;
  confirm_rate: number;
  by_town: TownTally[];
  by_village: VillageTally[];
  by_unit: UnitTally[];
  households: { total: number; none_read: number; flagged: number };
  sms: { sent: number; cost_fen: number };
  reminded_at: string | null;
  remind_count: number;
}

export interface UnreadPerson {
  person_id: string | null;
  account_id: string | null;
  name: string;
  village_code: string;
  village_name: string;
  household_id: string;
  phone_masked: string;
  signed_up: boolean;
}

export interface NoticeHousehold {
  id: string;
  village_code: string;
  village_name: string;
  head_name: string;
  members: number;
  read: boolean;
}

export interface Reminded {
  reminded: number;
  at: string;
}

/** Attachment upload limits (the server checks them again, sniffing the content). */
export const ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024;
export const ATTACHMENT_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf'];
