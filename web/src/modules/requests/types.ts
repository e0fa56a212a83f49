// The requests API's JSON shapes (村民诉求 · 接诉即办: /api/v1/requests, /request-categories,
// /request-photos, /requests/metrics). See src/modules/requests/json.cc on the server.

export type RequestStatus =
  | 'dispatched'
  | 'signed'
  | 'processing'
  | 'finished'
  | 'resolved'
  | 'closed'
  | 'returned'
  | 'merged';
export const REQUEST_STATUSES: RequestStatus[] = ['dispatched', 'returned', 'signed', 'processing', 'finished', 'resolved', 'closed', 'merged'];

/** Still with a handler (deadlines run). */
export const OPEN_STATUSES: RequestStatus[] = ['dispatched', 'returned', 'signed', 'processing'];
/** Done one way or another (no more steps by the handler). */
export const DONE_STATUSES: RequestStatus[] = ['finished', 'resolved', 'closed', 'merged'];

export type RequestLevel = 'village' | 'town' | 'county';
export type Outcome = 'fixed' | 'not_fixed';
export type FollowupAnswer = 'asked' | 'still_fixed' | 'broken_again';

export type StepKind =
  | 'file'
  | 'dispatch'
  | 'sign'
  | 'progress'
  | 'finish'
  | 'confirm'
  | 'reopen'
  | 'rate'
  | 'followup_asked'
  | 'followup'
  | 'transfer'
  | 'return'
  | 'escalate'
  | 'merge'
  | 'merged_in';
export const STEP_KINDS: StepKind[] = [
  'file',
  'dispatch',
  'sign',
  'progress',
  'finish',
  'confirm',
  'reopen',
  'rate',
  'followup_asked',
  'followup',
  'transfer',
  'return',
  'escalate',
  'merge',
  'merged_in',
];

export interface RequestCategory {
  code: string;
  name: string;
  group: string;
  description: string;
  sign_hours: number;
  reply_hours: number;
  finish_hours: number;
  confirm_required: boolean;
  about_cadre: boolean;
  /** Default handler: 'village', 'town', 'county' or 'unit:<id>'. */
  handler: string;
  active: boolean;
  sort: number;
}

export interface RequestPhoto {
  id: string;
  content_type: string;
  size: number;
  url: string;
}

export interface RequestStep {
  seq: number;
  at: string;
  kind: StepKind | string;
  actor_name: string | null;
  note: string;
  /** The handler at that step ("village:<code>", "town:<code>", "county:<code>", "unit:<id>"). */
  handler: string;
  photos: RequestPhoto[];
}

/** A request as lists return it (the summary). */
export interface RequestSummary {
  id: string;
  number: string;
  category: string;
  category_name: string;
  description: string;
  village_code: string;
  village_name: string;
  address: string;
  lat: number | null;
  lng: number | null;
  public: boolean;
  about_cadre: boolean;
  /** Null when hidden from the caller (the board, the public). */
  reporter_name: string | null;
  channel: string;
  status: RequestStatus;
  handler: string;
  handler_name: string;
  level: RequestLevel;
  metoo_count: number;
  merged_into: string | null;
  reopen_count: number;
  sign_due: string | null;
  reply_due: string | null;
  finish_due: string | null;
  signed_at: string | null;
  replied_at: string | null;
  finished_at: string | null;
  closed_at: string | null;
  escalated_at: string | null;
  outcome: Outcome | null;
  result_note: string | null;
  rating: number | null;
  rating_comment: string | null;
  followup_answer: FollowupAnswer | null;
  created_at: string;
  updated_at: string;
  can_handle: boolean;
  can_supervise: boolean;
  is_reporter: boolean;
}

/** One request in full (GET /requests/{id} and every action's answer). */
export interface RequestDetail extends RequestSummary {
  photos: RequestPhoto[];
  steps: RequestStep[];
  /** The caller said 同问. */
  metoo: boolean;
}

export interface RequestPage {
  items: RequestSummary[];
  next_cursor: string | null;
}

export type MetricGroup = 'unit' | 'town' | 'village' | 'category' | 'month';
export const METRIC_GROUPS: MetricGroup[] = ['unit', 'town', 'village', 'category', 'month'];

export interface MetricRow {
  key: string;
  name: string;
  filed: number;
  signed_in_time: number;
  finished: number;
  resolved: number;
  unresolved: number;
  rated: number;
  satisfied: number;
  response_rate: number;
  resolve_rate: number;
  satisfaction_rate: number;
  median_sign_hours: number | null;
  median_finish_hours: number | null;
  /** Null below min_cases filed (样本不足). */
  rank: number | null;
}

export interface Metrics {
  items: MetricRow[];
  min_cases: number;
}

/** What POST /requests takes. */
export interface FileRequestInput {
  category: string;
  description: string;
  address?: string;
  lat?: number;
  lng?: number;
  coord?: 'wgs84' | 'gcj02';
  public: boolean;
  photos: string[];
}
