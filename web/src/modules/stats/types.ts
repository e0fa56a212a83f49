// The county dashboard's (驾驶舱) API shapes: GET /api/v1/stats/dashboard. Counts are integers;
// every *_rate is 0..1, or null when there is nothing to divide; hours are numbers with one
// decimal or null. See docs/openapi.yaml.

export type StatsLevel = 'county' | 'town' | 'village';

export interface StatsRegion {
  code: string;
  name: string;
  level: StatsLevel;
}

export interface NoticeFigures {
  published: number;
  audience: number;
  read: number;
  confirmed: number;
  read_rate: number | null;
  confirm_rate: number | null;
}

/** Meetings and trainings have the same figures. */
export interface SessionFigures {
  held: number;
  minutes: number;
  hours: number | null;
  invitees: number;
  present: number;
  attendance_rate: number | null;
}

export interface DocFigures {
  created: number;
  edited: number;
  forms_sent: number;
  responses: number;
}

export interface RequestFigures {
  filed: number;
  signed: number;
  finished: number;
  resolved: number;
  unresolved: number;
  rated: number;
  satisfied: number;
  response_rate: number | null;
  resolve_rate: number | null;
  satisfaction_rate: number | null;
  median_sign_hours: number | null;
  median_finish_hours: number | null;
  /** Overdue right now: in the totals, children and units; null inside months. */
  overdue_now: number | null;
}

export interface PeopleFigures {
  /** 实名认证: join requests approved in the period. */
  joined: number;
  /** Accounts active in the period. */
  active: number;
}

export interface Figures {
  notices: NoticeFigures;
  meetings: SessionFigures;
  trainings: SessionFigures;
  docs: DocFigures;
  requests: RequestFigures;
  people: PeopleFigures;
}

export type FigureGroup = keyof Figures;

export interface MonthFigures extends Figures {
  /** "2026-06" */
  month: string;
}

export interface ChildFigures extends Figures, StatsRegion {}

export interface UnitFigures extends Figures {
  id: string;
  name: string;
}

export type RankingKey =
  | 'requests.resolve_rate'
  | 'requests.satisfaction_rate'
  | 'requests.response_rate'
  | 'notices.read_rate'
  | 'meetings.attendance_rate';

export interface RankingItem {
  /** A region code (over children) or a unit id (over units). */
  id: string;
  name: string;
  value: number;
  cases: number;
  rank: number;
}

export interface Ranking {
  key: RankingKey;
  over: 'children' | 'units';
  /** Entries with fewer cases are left out. */
  min_cases: number;
  /** Best first. */
  items: RankingItem[];
}

export interface Dashboard {
  region: StatsRegion;
  /** From the county down to `region`, inclusive. */
  path: StatsRegion[];
  unit: { id: string; name: string } | null;
  from: string;
  to: string;
  generated_at: string;
  totals: Figures;
  /** Every month from..to, in order. */
  months: MonthFigures[];
  /** Towns of the county, villages of a town; [] for a village. */
  children: ChildFigures[];
  /** Government units (county level only; [] otherwise). */
  units: UnitFigures[];
  rankings: Ranking[];
}

/** What the dashboard is asked for (and what the page's address holds). */
export interface StatsParams {
  region: string;
  from: string;
  to: string;
  /** A unit id, or '' for every unit. */
  unit: string;
}

/** The tables GET /stats/table.csv exports. */
export type StatsTable = 'months' | 'children' | 'units';
