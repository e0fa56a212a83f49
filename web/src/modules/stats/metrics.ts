// The dashboard's figures by key ("requests.resolve_rate"): how to read one from a Figures block,
// its kind (a count, a rate, hours, a median duration), which way is better, the cases a rate is
// taken over (a treemap tile's area), its label and its text. Shared by both apps.
import { t } from '@/shared/i18n';
import { compact, count, duration, hoursTotal, pct } from '@/modules/stats/format';
import type { FigureGroup, Figures } from '@/modules/stats/types';

export type MetricKind = 'count' | 'rate' | 'hours' | 'duration';

export interface Metric {
  key: string;
  group: FigureGroup;
  field: string;
  kind: MetricKind;
  /** Which way is better: 'up' (a rate), 'down' (overdue, waiting), 'none' (how much happened). */
  better: 'up' | 'down' | 'none';
  /** The cases a rate is taken over (a treemap tile's area); counts are their own size. */
  base?: (f: Figures) => number | null;
}

const n = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

const LIST: Metric[] = [
  { key: 'notices.published', group: 'notices', field: 'published', kind: 'count', better: 'none' },
  { key: 'notices.read_rate', group: 'notices', field: 'read_rate', kind: 'rate', better: 'up', base: (f) => n(f.notices?.audience) },
  { key: 'notices.confirm_rate', group: 'notices', field: 'confirm_rate', kind: 'rate', better: 'up', base: (f) => n(f.notices?.audience) },
  { key: 'meetings.held', group: 'meetings', field: 'held', kind: 'count', better: 'none' },
  { key: 'meetings.hours', group: 'meetings', field: 'hours', kind: 'hours', better: 'none' },
  { key: 'meetings.attendance_rate', group: 'meetings', field: 'attendance_rate', kind: 'rate', better: 'up', base: (f) => n(f.meetings?.invitees) },
  { key: 'trainings.held', group: 'trainings', field: 'held', kind: 'count', better: 'none' },
  { key: 'trainings.hours', group: 'trainings', field: 'hours', kind: 'hours', better: 'none' },
  { key: 'trainings.attendance_rate', group: 'trainings', field: 'attendance_rate', kind: 'rate', better: 'up', base: (f) => n(f.trainings?.invitees) },
  { key: 'docs.created', group: 'docs', field: 'created', kind: 'count', better: 'none' },
  { key: 'docs.edited', group: 'docs', field: 'edited', kind: 'count', better: 'none' },
  { key: 'docs.forms_sent', group: 'docs', field: 'forms_sent', kind: 'count', better: 'none' },
  { key: 'docs.responses', group: 'docs', field: 'responses', kind: 'count', better: 'none' },
  { key: 'requests.filed', group: 'requests', field: 'filed', kind: 'count', better: 'none' },
  { key: 'requests.resolved', group: 'requests', field: 'resolved', kind: 'count', better: 'none' },
  { key: 'requests.response_rate', group: 'requests', field: 'response_rate', kind: 'rate', better: 'up', base: (f) => n(f.requests?.filed) },
  {
    key: 'requests.resolve_rate',
    group: 'requests',
    field: 'resolve_rate',
    kind: 'rate',
    better: 'up',
    base: (f) => (f.requests ? (n(f.requests.resolved) ?? 0) + (n(f.requests.unresolved) ?? 0) : null),
  },
  { key: 'requests.satisfaction_rate', group: 'requests', field: 'satisfaction_rate', kind: 'rate', better: 'up', base: (f) => n(f.requests?.rated) },
  { key: 'requests.median_sign_hours', group: 'requests', field: 'median_sign_hours', kind: 'duration', better: 'down', base: (f) => n(f.requests?.signed) },
  { key: 'requests.median_finish_hours', group: 'requests', field: 'median_finish_hours', kind: 'duration', better: 'down', base: (f) => n(f.requests?.finished) },
  { key: 'requests.overdue_now', group: 'requests', field: 'overdue_now', kind: 'count', better: 'down' },
  { key: 'people.joined', group: 'people', field: 'joined', kind: 'count', better: 'none' },
  { key: 'people.active', group: 'people', field: 'active', kind: 'count', better: 'none' },
];

export const METRICS: Record<string, Metric> = Object.fromEntries(LIST.map((m) => [m.key, m]));

/** What the treemap and the phone's list of places can be coloured / sorted by. */
export const PICKABLE = [
  'requests.filed',
  'requests.resolve_rate',
  'requests.response_rate',
  'requests.satisfaction_rate',
  'requests.overdue_now',
  'notices.published',
  'notices.read_rate',
  'meetings.held',
  'meetings.attendance_rate',
  'trainings.held',
  'trainings.attendance_rate',
  'docs.created',
  'docs.responses',
  'people.joined',
  'people.active',
];

/** The children and units tables: columns under their group's heading. */
export const TABLE_GROUPS: { group: FigureGroup; keys: string[] }[] = [
  { group: 'notices', keys: ['notices.published', 'notices.read_rate', 'notices.confirm_rate'] },
  { group: 'meetings', keys: ['meetings.held', 'meetings.hours', 'meetings.attendance_rate'] },
  { group: 'trainings', keys: ['trainings.held', 'trainings.hours', 'trainings.attendance_rate'] },
  { group: 'docs', keys: ['docs.created', 'docs.forms_sent', 'docs.responses'] },
  {
    group: 'requests',
    keys: ['requests.filed', 'requests.response_rate', 'requests.resolve_rate', 'requests.satisfaction_rate', 'requests.median_finish_hours', 'requests.overdue_now'],
  },
  { group: 'people', keys: ['people.joined', 'people.active'] },
];

/** A figure of a Figures block (null when missing or not a number). */
export function figure(f: Partial<Figures> | null | undefined, key: string): number | null {
  const m = METRICS[key];
  if (!m || !f) return null;
  const g = f[m.group] as unknown as Record<string, unknown> | undefined;
  return g ? n(g[m.field]) : null;
}

/** A tile's area for the treemap: the cases of a rate, the count itself; never below 0. */
export function weight(f: Figures, key: string): number {
  const m = METRICS[key];
  const v = m?.base ? m.base(f) : figure(f, key);
  return Math.max(0, v ?? 0);
}

export function metricLabel(key: string): string {
  return t(`stats.metric.${key}`);
}

export function groupLabel(group: FigureGroup): string {
  return t(`stats.group.${group}`);
}

/** A figure as text: counts grouped (or 1.2万 with `short`), rates in %, hours, durations. */
export function metricText(key: string, v: number | null, short = false): string {
  switch (METRICS[key]?.kind) {
    case 'rate':
      return pct(v);
    case 'hours':
      return short && v !== null ? t('stats.unit.hours', { n: compact(v) }) : hoursTotal(v);
    case 'duration':
      return duration(v);
    default:
      return short ? compact(v) : count(v);
  }
}

/** Compares two figures for sorting; a missing one counts as the smallest. */
export function compareFigures(a: number | null, b: number | null): number {
  if (a === null && b === null) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a - b;
}

/** The data-testid of a figure's KPI: "requests.resolve_rate" → "stats-kpi-requests-resolve-rate". */
export function kpiTestid(key: string): string {
  return `stats-kpi-${key.replace(/[._]/g, '-')}`;
}
